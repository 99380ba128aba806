"""Names vulture cannot see being used: what a framework calls or reads.

`make lint` runs vulture at 60 % confidence (unused functions, classes, methods,
attributes, variables) over the packages with this file; tests and benches do not count
as users. A name here counts as used wherever it is defined: list only what a framework
reaches, each under the framework that does.
"""

# ruff: noqa: B018, F821

# typer: the `xxgk` commands, called through @app.command() (flows/cli.py)
export
inspect_command
show_command

# Prefect: Runner's SIGTERM hook, overridden (flows/ingest.py)
handle_sigterm

# http.server: the handler's hooks and the server's and handler's options (sources/egress.py)
log_message
do_CONNECT
do_HEAD
do_POST
daemon_threads
close_connection

# rapidocr: the engine's settings it reads at each call (extract/ocr.py)
rec_image_shape
text_cls

# onnxruntime: the session options it reads when a session is made (extract/ocr.py)
enable_cpu_mem_arena

# record fields read by position or unpacking, or written as a table's columns
registry_version  # transform/frames.py AgencyRow, the `agencies` column
table_name  # transform/frames.py ReadingRow, the `table_readings` column
reports_moved  # load/warehouse.py Merge, the `agency_merges` column (RETURNING, by position)
