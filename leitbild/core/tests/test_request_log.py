import json
import logging


def test_each_request_is_logged_as_one_json_line(client, db, caplog):
    from pythonjsonlogger.json import JsonFormatter

    with caplog.at_level(logging.INFO, logger="leitbild.request"):
        client.get("/seiten/gibt-es-nicht/")
    record = next(r for r in caplog.records if r.name == "leitbild.request")
    line = JsonFormatter("%(levelname)s %(name)s %(message)s").format(record)
    data = json.loads(line)
    assert data["method"] == "GET"
    assert data["path"] == "/seiten/gibt-es-nicht/"
    assert data["status"] == 404
    assert isinstance(data["duration_ms"], float)
    assert data["user_id"] is None
