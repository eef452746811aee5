import pytest


@pytest.fixture
def demo_city(db):
    from leitbild.core.demo import demo_load

    demo_load()
