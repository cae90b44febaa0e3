"""Fits from the analyst's own data, written out as scenario values.

The layer between the models and the registry: it reads files through
:mod:`cxmodels.inputs` and fits the published probability models of
customer behaviour by maximum likelihood -- :mod:`.sbg` (retention from
cohort survival counts), :mod:`.bgnbd` (repeat buying and drop-out from a
transaction log) and :mod:`.gamma_gamma` (spend per purchase).
"""
