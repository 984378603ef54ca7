"""`chipclass completion bash|zsh|fish`: the shell's completion script."""

from __future__ import annotations

import click

from chipclass.cli.common import EXIT_OK, finish

SHELLS = ("bash", "zsh", "fish")


@click.command()
@click.argument("shell", type=click.Choice(SHELLS))
def completion(shell: str) -> None:
    """Print the completion script for SHELL: commands, options, edition ids and
    destinations complete on TAB.

    \b
    bash:  eval "$(chipclass completion bash)"     (in ~/.bashrc)
    zsh:   eval "$(chipclass completion zsh)"      (in ~/.zshrc)
    fish:  chipclass completion fish > ~/.config/fish/completions/chipclass.fish
    """
    from click.shell_completion import get_completion_class

    from chipclass.cli import cli

    found = get_completion_class(shell)
    if found is None:  # click knows all three
        raise click.BadParameter(f"no completion for {shell}")
    script = found(cli, {}, "chipclass", "_CHIPCLASS_COMPLETE").source()
    click.echo(script)
    finish(EXIT_OK)


def complete_edition(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[click.shell_completion.CompletionItem]:
    """Edition ids (and 'latest') that start with what was typed."""
    from click.shell_completion import CompletionItem

    from chipclass.editions import all_editions

    found = [CompletionItem("latest", help="the latest edition")]
    found += [CompletionItem(e.id, help=f"effective {e.effective}") for e in all_editions()]
    return [item for item in found if item.value.startswith(incomplete)]


def complete_destination(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[click.shell_completion.CompletionItem]:
    """ISO codes of the bundled destinations that start with what was typed."""
    from click.shell_completion import CompletionItem

    from chipclass.destinations import bundled

    names = bundled().names
    typed = incomplete.upper()
    return [
        CompletionItem(code, help=names[code]) for code in sorted(names) if code.startswith(typed)
    ]
