"""Fits from the analyst's own data, written out as scenario values.

The layer between the models and the registry: it reads files through
:mod:`cxmodels.inputs` and fits the published probability models of
customer behaviour by maximum likelihood -- :mod:`.sbg` (retention from
cohort survival counts), :mod:`.bgnbd` (repeat buying and drop-out from a
transaction log) and :mod:`.gamma_gamma` (spend per purchase).

From a CRM export joined to NPS answers (:mod:`.crm`), :mod:`.segments`
measures the promoter model's inputs (segment shares, Cox hazard ratios of
churn, order and referral ratios), :mod:`.promoter_inputs` turns them into
scenario values and distributions, and :mod:`.published` sets them beside
the published figures.

:mod:`.pipeline` is the one way from a file to a calibrated scenario's
values, for ``cxmodels calibrate`` and the calibration report (:mod:`.report`)
alike; every fit shows :class:`.fitting.FittedModel`'s face (``params_``,
``summary``, ``log_likelihood_``).
"""
