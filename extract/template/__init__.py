"""The template mapper: positioned text onto the national template, one component for
every reading (see docs/architecture.md, "The template mapper").

- :mod:`~extract.template.tokens`: the positioned token every source makes (``Word``);
- :mod:`~extract.template.headers`: header and label wording to codes, header furniture;
- :mod:`~extract.template.columns`: where columns stand, and values placed on them;
- :mod:`~extract.template.rows`: table 三's rows in template order, wrapped labels;
- :mod:`~extract.template.stacks`: digits printed stacked are one number;
- :mod:`~extract.template.tolerances`: every tolerance, named.

The words come from :mod:`spec.wording`.
"""
