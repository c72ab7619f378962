"""make bench is not run by make test: at least every benchmark module must import against today's package."""
import importlib

import pytest


@pytest.mark.parametrize("name", ["benchmarks.engine_case", "benchmarks.large_case", "benchmarks.browser",
                                  "benchmarks.batch", "benchmarks.batch_page", "benchmarks.__main__"])
def test_benchmark_module_imports(name):
    importlib.import_module(name)
