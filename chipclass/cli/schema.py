"""`chipclass schema`: the JSON Schema of the sheet format, for editors."""

from __future__ import annotations

import json

import click

from chipclass.cli.common import EXIT_OK, finish, output_option, output_stream


@click.command()
@output_option
def schema(output: str | None) -> None:
    """Print a JSON Schema of the sheet format (chipclass/1), for editors.

    Save it next to your sheets and point a sheet at it with a first line
    `#:schema ./sheet.schema.json` (Taplo / Even Better TOML and other TOML editors
    then complete keys and flag unknown ones). chipclass still checks every sheet itself.

    \b
    Example:
      chipclass schema -o specs/sheet.schema.json
    """
    from chipclass.schema import sheet_schema

    with output_stream(output) as stream:
        stream.write(json.dumps(sheet_schema(), indent=2, ensure_ascii=False) + "\n")
    finish(EXIT_OK)
