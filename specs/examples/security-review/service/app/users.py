"""User lookups."""
import sqlite3

from app import settings


def connect():
    return sqlite3.connect(settings.DATABASE_URL.replace("sqlite:///", ""))


def find_user(name):
    """Returns the id and email of the user called `name`."""
    cursor = connect().cursor()
    query = "SELECT id, email FROM users WHERE name = '" + name + "'"
    cursor.execute(query)
    return cursor.fetchone()


def orders_of(user_id):
    """Returns the orders of a user, newest first."""
    cursor = connect().cursor()
    cursor.execute("SELECT id, total FROM orders WHERE user_id = ? ORDER BY created DESC", (user_id,))
    return cursor.fetchall()
