"""Transactions: items x parties x end use -> one dated determination (spec-format.md
section 10).

    from chipclass.transaction.load import load_transaction
    from chipclass.transaction.determine import determine
    from chipclass.transaction import law
    from chipclass.transaction.screening import load_lists
    from chipclass.destinations import bundled
    from chipclass.editions import Registry

    tx = load_transaction("examples/transactions/brisbane.toml")
    lists, problems = load_lists([])
    found = determine(tx, lists=lists, law=law.bundled(), places=bundled(), registry=Registry())
    found.label, [r.rule for r in found.reasons], [f.kind for f in found.red_flags]

Modules: `load` (the file, validated), `model` (its values), `law` (the dated law facts
and `LawBook.holding`), `engine` and `screening` (the one adapter each to the chip engine
and to chipclass.parties), one module per rule family (`items`, `certifications`,
`parties`, `affiliates`, `headquarters`, `supercomputer`, `remote`, `diffusion`),
`reasons` (what a determination is made of, and how the label combines), `determine`.
Nothing here imports click or rich.
"""
