"""Password-protected books: decrypt with msoffcrypto-tool, and encrypt the result again.

An encrypted .xlsx/.xlsm is not a zip but an OLE compound file holding ``EncryptionInfo`` and
``EncryptedPackage`` streams. sheetbook decrypts it in memory, edits the package like any other,
and encrypts the new package with the same password (ECMA-376 agile encryption, as Excel
does). The plaintext never touches the disk. The encrypted bytes differ on every run (fresh
salt); the decrypted parts follow the same byte-for-byte rules as an unencrypted book.
"""

from __future__ import annotations

import io
from typing import BinaryIO

from ..errors import EncryptedError, NotAWorkbookError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def is_ole(head: bytes) -> bool:
    """Whether a file starts like an OLE compound file (encrypted OOXML or legacy .xls)."""
    return head[:8] == OLE_MAGIC


def decrypt(fp: BinaryIO, password: str | None, label: str) -> io.BytesIO:
    """The decrypted zip package of an encrypted book.

    Raises :class:`EncryptedError` when no password was given or it is wrong, and
    :class:`NotAWorkbookError` for an OLE file that is not an encrypted workbook (a legacy .xls).
    """
    import msoffcrypto
    from msoffcrypto import exceptions as mx

    try:
        fp.seek(0)
        office = msoffcrypto.OfficeFile(fp)
        encrypted = office.is_encrypted()
    except Exception as exc:  # msoffcrypto raises many kinds on a foreign OLE file
        raise NotAWorkbookError(
            f"{label} 不是 .xlsx/.xlsm 工作簿（可能是旧版 .xls，请在 Excel 中另存为 .xlsx）",
            f"{label} is not an .xlsx/.xlsm workbook (a legacy .xls? save it as .xlsx in Excel)",
        ) from exc
    if type(office).__name__ != "OOXMLFile" or not encrypted:
        raise NotAWorkbookError(
            f"{label} 不是 .xlsx/.xlsm 工作簿（可能是旧版 .xls，请在 Excel 中另存为 .xlsx）",
            f"{label} is not an .xlsx/.xlsm workbook (a legacy .xls? save it as .xlsx in Excel)")
    if not password:
        raise EncryptedError(f"工作簿 {label} 有密码保护：请提供密码（--password）",
                             f"The workbook {label} is password-protected: give its password")
    out = io.BytesIO()
    try:
        office.load_key(password=password, verify_password=True)
        office.decrypt(out)
    except (mx.InvalidKeyError, mx.DecryptionError) as exc:
        raise EncryptedError(f"工作簿 {label} 的密码不正确", f"Wrong password for {label}") from exc
    except Exception as exc:
        raise NotAWorkbookError(f"无法解密工作簿 {label}：{exc}",
                                f"Cannot decrypt the workbook {label}: {exc}") from exc
    out.seek(0)
    return out


def encrypt(plain: BinaryIO, password: str, out: BinaryIO) -> None:
    """Encrypt a zip package with ``password`` into ``out`` (agile encryption)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    plain.seek(0)
    OOXMLFile(plain).encrypt(password, out)
