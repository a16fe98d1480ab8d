"""InterviewKit: structured hiring interviews on the desktop.

The package is layered; imports point down only:
``ui``/``cli`` -> ``services`` -> ``storage``, ``bank``, ``export`` -> ``domain``.
"""

__version__ = "0.1.0"
