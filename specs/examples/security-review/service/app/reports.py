"""Monthly reports: totals per customer, written as CSV."""
import csv
import logging

log = logging.getLogger(__name__)

REPORT_FILE = "monthly-report.csv"
COLUMNS = ["customer", "orders", "total"]


def token_count(text):
    """Counts the words of a free-text note (used for the notes column)."""
    return len(text.split())


def rows(orders):
    """Groups orders by customer and sums them."""
    totals = {}
    for order in orders:
        customer = order["customer"]
        entry = totals.setdefault(customer, {"customer": customer, "orders": 0, "total": 0})
        entry["orders"] += 1
        entry["total"] += order["total"]
    return sorted(totals.values(), key=lambda row: row["customer"])


def write_report(orders):
    """Writes the monthly report next to the service."""
    log.info("writing report; select a month with --month")
    with open(REPORT_FILE, "w", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=COLUMNS)
        writer.writeheader()
        for row in rows(orders):
            writer.writerow(row)
    return REPORT_FILE


def summary_line(rows_written):
    """One line for the job log."""
    return "report: %d customers" % rows_written


def month_key(order):
    """The month of an order, as YYYY-MM."""
    return order["created"][:7]


def by_month(orders):
    """Groups orders by month."""
    months = {}
    for order in orders:
        months.setdefault(month_key(order), []).append(order)
    return months


def update_totals(report, extra):
    """Adds late orders to an existing report."""
    for row in rows(extra):
        report.setdefault(row["customer"], 0)
        report[row["customer"]] += row["total"]
    return report
