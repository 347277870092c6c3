"""The book's chart colours, light and dark (no Altair import: the book's build reads DARK).

Every colour a chart uses is one of these. When the book is in dark mode, the page's drawing
script swaps each for its counterpart in DARK (outside the data), so a chart keeps an
explicit background and readable ink in both modes; the stored spec stays the light one.
"""
INK, MUTED, ACCENT, QUALIFIED = "#1f2933", "#52606d", "#1f6fb2", "#e08a1e"
BACKGROUND, GRID, TRACK = "#ffffff", "#e4e7eb", "#cbd2d9"
RATING_COLOURS = {"same_definition": "#2e7d32", "changed_scope": "#e08a1e",
                  "not_comparable": "#b71c1c"}
REPORT_COLOURS = [ACCENT, QUALIFIED]  # 2017, 2023

DARK_BACKGROUND = "#1e2227"
DARK = {
    BACKGROUND: DARK_BACKGROUND, "white": DARK_BACKGROUND,
    INK: "#e6e9ed", MUTED: "#aeb8c2", ACCENT: "#63a9e8", QUALIFIED: "#f2a94e",
    GRID: "#3a4149", TRACK: "#4a535d",
    RATING_COLOURS["same_definition"]: "#6cc070", RATING_COLOURS["not_comparable"]: "#ef6b6b",
}
