"""Invoice downloads."""
import os

UPLOAD_DIR = "/srv/billing/invoices"


def download(filename):
    """Returns the bytes of an uploaded invoice."""
    path = os.path.join(UPLOAD_DIR, filename)
    with open(path, "rb") as invoice:
        return invoice.read()


def download_checked(filename):
    """Returns the bytes of an uploaded invoice, refusing names that leave the upload folder."""
    base = os.path.realpath(UPLOAD_DIR)
    path = os.path.realpath(os.path.join(base, filename))
    if os.path.commonpath([base, path]) != base:
        raise PermissionError(filename)
    with open(path, "rb") as invoice:
        return invoice.read()
