"""statusgen: a static status-page generator.

The pipeline, one package per stage: content (load) → validate (into model) →
derive (facts at "now") → render (each output) → output (atomic write).
"""

__version__ = "0.1.0"
