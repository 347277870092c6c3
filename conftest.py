"""pytest, for the tests and the notebooks (`make test`)."""
import pytest


def pytest_itemcollected(item):
    """Under pytest-xdist's ``--dist loadgroup`` the cells of a notebook stay on one worker,
    in order (nbval runs them in one kernel), while every other test goes to whichever worker
    is free."""
    path = item.nodeid.split("::")[0]
    if path.endswith(".ipynb"):
        item.add_marker(pytest.mark.xdist_group(path))
