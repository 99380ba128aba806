"""The mapper's tolerances, named: each is a fraction of a word's size (its height) or
of a table's column pitch, so that one rule serves a 9-point PDF, a 240-dpi scan and a
monospace text alike."""

SAME_LINE = 0.4  # centres closer than this (x size) sit on one line
WORD_GAP = 0.5  # words closer than this (x size) are one piece of a cell
SAME_COLUMN = 1.5  # left edges closer than this (x size) start the same sub-column
NEXT_LINE = 1.2  # a line that starts less than this (x size) below another is the next one
ROW_SLACK = 0.35  # a value line this far (x size) outside a label's lines is still its row
STACK_ACROSS = 0.3  # stacked digits overlap by more than this much of the narrower one
STACK_GAP = (-0.5, 0.6)  # a stacked digit's top stands this close (x size) under the one above
VALUE_COLUMN = 0.6  # value centres closer than this (x size) stand in one column
NARROW = 1.15  # a header no wider than this (x column pitch) heads one column
