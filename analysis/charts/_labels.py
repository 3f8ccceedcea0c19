"""Place text labels next to their points without overlapping one another (a small greedy repel).

Vega-Lite draws text where it is told and lets labels overprint; :func:`place_labels` chooses, for
each label in priority order, the first of a few positions around its point (then further out, with
a leader line) where its box overlaps no label already placed and stays inside the plot.
"""

from __future__ import annotations

import numpy as np

__all__ = ["place_labels"]

#: Offsets (in multiples of the label height) tried around a point, nearest first.
_SLOTS = [(0, 0), (0, -1), (0, 1), (-1, 0), (-1, -1), (-1, 1)]


def place_labels(
    x: np.ndarray,
    y: np.ndarray,
    texts: list[str],
    *,
    width: float,
    height: float,
    font_size: float = 10,
    max_steps: int = 6,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pixel positions for labels of the points (``x``, ``y``), placed in the order given.

    A label's box is estimated as 0.6 ``font_size`` per character by 1.2 ``font_size``, anchored
    at its left (right for the left slots) and vertical middle. Slots right of the point are tried
    first, then left, then the same moved up or down by up to ``max_steps`` label heights.

    Returns
    -------
    (label_x, label_y, align)
        Anchor of each label in pixels and its text alignment ('left' or 'right'); a label that
        fits nowhere has ``nan`` positions and align ''.
    """
    line = 1.2 * font_size
    gap = 0.5 * font_size
    boxes: list[tuple[float, float, float, float]] = []
    out_x = np.full(len(texts), np.nan)
    out_y = np.full(len(texts), np.nan)
    align = np.array([""] * len(texts), dtype=object)
    for i, (px, py, text) in enumerate(zip(x, y, texts, strict=True)):
        w = 0.6 * font_size * len(text)
        for step in range(max_steps + 1):
            placed = False
            for side, shift in _SLOTS:
                if step and shift == 0:
                    continue
                dy = shift * line * max(step, 1)
                left = px + gap if side == 0 else px - gap - w
                top = py + dy - line / 2
                box = (left, top, left + w, top + line)
                inside = (
                    box[0] >= 0 and box[2] <= width and box[1] >= -line / 2 and box[3] <= height + line / 2
                )
                if inside and not any(_overlap(box, b) for b in boxes):
                    boxes.append(box)
                    out_x[i] = box[0] if side == 0 else box[2]
                    out_y[i] = py + dy
                    align[i] = "left" if side == 0 else "right"
                    placed = True
                    break
            if placed:
                break
    return out_x, out_y, align


def _overlap(a: tuple, b: tuple) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
