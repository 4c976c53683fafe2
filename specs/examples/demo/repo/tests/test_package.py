import unittest

import textkit
from textkit.numbers import group_digits
from textkit.words import words


class PackageTest(unittest.TestCase):
    """Code that is already correct: these pass at the base commit."""

    def test_version(self):
        self.assertRegex(textkit.__version__, r"^\d+\.\d+\.\d+$")

    def test_words(self):
        self.assertEqual(words("  one two\tthree\nfour "), ["one", "two", "three", "four"])
        self.assertEqual(words(""), [])

    def test_group_digits(self):
        self.assertEqual(group_digits(7), "7")
        self.assertEqual(group_digits(1234567), "1,234,567")


if __name__ == "__main__":
    unittest.main()
