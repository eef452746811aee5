"""The numerics stay a plain package: importing them must not import Django."""

import subprocess
import sys


def test_the_numerics_import_without_django():
    code = (
        "import sys\n"
        "import leitbild.numerics.intervals, leitbild.numerics.raking\n"
        "import leitbild.numerics.suppression\n"
        "import leitbild.numerics.mcda, leitbild.numerics.portfolio\n"
        "sys.exit('django' in sys.modules)\n"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
