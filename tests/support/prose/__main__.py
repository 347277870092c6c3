"""The command: every number of the prose with its rule and evidence (:func:`main`)."""
from prose import pages, verdicts


def main() -> None:
    """``PYTHONPATH=tests/support python -m prose [PAGE ...]``: every number of the prose
    with its rule and evidence (the rounding shown), then the count per rule."""
    import sys
    from collections import Counter

    from stbook.dataset import load
    from stbook.stamp import Inputs
    ds, inputs = load(), Inputs()
    derived = ds.derived_table()
    wanted = sys.argv[1:]
    rules = Counter()
    for path in pages():
        if wanted and not any(w in path.name for w in wanted):
            continue
        for v in verdicts(ds, path, data_inputs=inputs, derived=derived):
            rules[v.rule] += 1
            print(f"{v.number.where}\t{v.number.text}\t{v.rule}\t{v.evidence}")
    print(", ".join(f"{rule}: {count}" for rule, count in rules.most_common()),
          f"(all: {sum(rules.values())})")


if __name__ == "__main__":
    main()
