"""Continuing-education hours (继续教育学时) of Chinese professional and technical staff.

Rule data, an exact engine and a CLI; standard library only at run time, so the
package runs unchanged in CPython and in Pyodide.
"""
from .engine import check

__all__ = ["check"]
__version__ = "0.1.0"
