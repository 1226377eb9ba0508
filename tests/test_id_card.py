"""The Thai national ID card through the real PC/SC stack: pyscard → pcscd → vpcd → our card."""

from __future__ import annotations

import base64
import io
import json
import shutil

import pytest
from PIL import Image

from tests.conftest import damrong
from tests.vicc import ATR_3B67, ATR_PLAIN, card_memory

pytestmark = pytest.mark.skipif(shutil.which("pcscd") is None, reason="pcscd is not installed")

NAME_TH = "นางสาว#มณีรัตน์##ศรีสุข"
NAME_EN = "Miss#Maneerat##Srisuk"
ADDRESS = "99/1#หมู่ที่ 3###ถนนมิตรภาพ#ตำบลในเมือง#อำเภอเมืองขอนแก่น#จังหวัดขอนแก่น"
VALID_ID = "3174218096795"


def photo_jpeg() -> bytes:
    buf = io.BytesIO()
    Image.new("L", (88, 110), 90).save(buf, "JPEG", quality=70)
    return buf.getvalue()


def memory(citizen_id=VALID_ID, expires="25700101"):
    return card_memory(
        citizen_id,
        NAME_TH,
        NAME_EN,
        "25200415",
        "2",
        "ที่ว่าการอำเภอเมืองขอนแก่น",
        "25600101",
        expires,
        ADDRESS,
        photo_jpeg(),
    )


@pytest.mark.parametrize("atr", [ATR_PLAIN, ATR_3B67], ids=["get-response-00", "get-response-01-for-3B67"])
def test_full_read_with_thai_address_and_photo(insert, atr):
    from scanner.card_reader import read

    card = insert(memory=memory(), atr=atr)
    data = read("Virtual PCD 00 00")
    assert data.citizen_id == VALID_ID and data.checksum_ok
    assert (data.prefix_th, data.first_name_th, data.last_name_th) == ("นางสาว", "มณีรัตน์", "ศรีสุข")
    assert (data.prefix_en, data.first_name_en, data.last_name_en) == ("Miss", "Maneerat", "Srisuk")
    assert data.birth_date == "1977-04-15" and data.gender == "female"
    assert data.issue_date == "2017-01-01" and data.expiry_date == "2027-01-01" and not data.expired
    assert data.issuer == "ที่ว่าการอำเภอเมืองขอนแก่น"
    assert data.address["house_no"] == "99/1" and data.address["moo"] == "หมู่ที่ 3"
    assert data.address["province"] == "จังหวัดขอนแก่น" and data.address["amphoe"] == "อำเภอเมืองขอนแก่น"
    assert data.address["text"] == "99/1 หมู่ที่ 3 ถนนมิตรภาพ ตำบลในเมือง อำเภอเมืองขอนแก่น จังหวัดขอนแก่น"
    assert data.photo_jpeg == photo_jpeg()
    assert Image.open(io.BytesIO(data.photo_jpeg)).size == (88, 110)
    assert card.apdus > 20  # it really went through the card


def test_card_pulled_mid_read_gives_clear_error(insert):
    from scanner.card_reader import read
    from scanner.thai_id import CardError

    insert(memory=memory(), pull_after=6)
    with pytest.raises(CardError) as e:
        read("Virtual PCD 00 00")
    assert e.value.code in ("card_removed", "no_card")
    assert "บัตร" in e.value.message("th")


def test_wrong_card_select_fails(insert):
    from scanner.card_reader import read
    from scanner.thai_id import CardError

    insert(memory=memory(), applet=False)
    with pytest.raises(CardError) as e:
        read("Virtual PCD 00 00")
    assert e.value.code == "unknown_card"
    assert e.value.message("th") == "บัตรนี้ไม่ใช่บัตรประจำตัวประชาชน"


def test_checksum_failure_and_expired_card_flagged(insert):
    from scanner.card_reader import read

    insert(memory=memory(citizen_id="1101700110030", expires="25600102"))
    data = read("Virtual PCD 00 00", with_photo=False)
    assert data.citizen_id == "1101700110030" and not data.checksum_ok
    assert data.expired and data.expiry_date == "2017-01-02"


def test_lifelong_card_has_no_expiry(insert):
    from scanner.card_reader import read

    insert(memory=memory(expires="99999999"))
    data = read("Virtual PCD 00 00", with_photo=False)
    assert data.expiry_date is None and not data.expired


def test_no_card_in_reader(pcscd):
    from scanner.card_reader import read
    from scanner.thai_id import CardError

    with pytest.raises(CardError) as e:
        read("Virtual PCD 00 01")
    assert e.value.code == "no_card"


def test_unknown_reader_name(pcscd):
    from scanner.card_reader import read
    from scanner.thai_id import CardError

    with pytest.raises(CardError) as e:
        read("Reader that is not there")
    assert e.value.code == "no_reader"


def test_cli_card_read_json_and_no_id_in_logs(insert, home):
    insert(memory=memory())
    r = damrong("-v", "card", "read", "--reader", "Virtual PCD 00 00", "--json", home=home)
    out = json.loads(r.stdout)
    assert out["citizen_id"] == VALID_ID and out["first_name_th"] == "มณีรัตน์"
    assert out["address"]["text"].endswith("จังหวัดขอนแก่น")
    assert base64.b64decode(out["photo_jpeg_b64"]) == photo_jpeg()
    assert VALID_ID not in r.stderr  # the log line is there (-v), the number is not
    assert "ID card read" in r.stderr
    readers = json.loads(damrong("card", "readers", "--json", home=home).stdout)["readers"]
    assert "Virtual PCD 00 00" in readers


def test_counter_station_posts_reads_to_a_remote_server(insert, archive, home):
    """`damrong station` on the counter PC sends the card read to the server's API, with a
    counter user's token; the read is in the audit log, its ID masked."""
    import threading

    from werkzeug.serving import make_server

    from records import users
    from records.models import AuditEntry
    from tests.conftest import make_user
    from webui.app import create_app

    clerk = make_user(archive, "counter", "KKN-01", seed=77)
    token = users.create_token(archive.db, clerk.citizen_id, "counter-2 station")
    app = create_app(archive, start_worker=False)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        insert(memory=memory())
        url = f"http://127.0.0.1:{server.server_port}"
        r = damrong(
            "station",
            "--server",
            url,
            "--name",
            "counter-2",
            "--reader",
            "Virtual PCD 00 00",
            "--once",
            "--token",
            "dmr_not-a-token",
            home=home,
            timeout=60,
            check=False,
        )
        assert r.returncode != 0 and "refused" in r.stderr  # reads only from signed-in counters
        r = damrong(
            "station",
            "--server",
            url,
            "--name",
            "counter-2",
            "--reader",
            "Virtual PCD 00 00",
            "--once",
            "--token",
            token,
            home=home,
            timeout=60,
        )
        assert "sent 3-1742-xxxxx-79-5" in r.stdout and VALID_ID not in r.stdout
        client = app.test_client()
        auth = {"Authorization": f"Bearer {token}"}
        assert client.get("/api/v1/stations/counter-2/card").status_code == 401  # not signed in
        got = client.get("/api/v1/stations/counter-2/card", headers=auth)
        assert got.status_code == 200 and got.json["citizen_id"] == VALID_ID
        assert client.get("/api/v1/stations/counter-2/card", headers=auth).status_code == 204  # handed out once
        assert (
            client.get("/api/v1/stations/counter-1/card", headers=auth).status_code == 204
        )  # other counters see nothing
        with archive.db.session() as s:
            reads = list(s.query(AuditEntry).filter_by(action="card_read"))
        assert [(e.object_id, e.user_id) for e in reads] == [("3-1742-xxxxx-79-5", clerk.id)]
    finally:
        server.shutdown()
        app.extensions["ingest_worker"].shutdown()
