import unittest

from textkit.numbers import ordinal


class OrdinalTest(unittest.TestCase):
    def test_basic_suffixes(self):
        self.assertEqual([ordinal(n) for n in (1, 2, 3, 4, 10)], ["1st", "2nd", "3rd", "4th", "10th"])
        self.assertEqual([ordinal(n) for n in (21, 22, 23, 101)], ["21st", "22nd", "23rd", "101st"])

    def test_teens_take_th(self):
        self.assertEqual([ordinal(n) for n in (11, 12, 13)], ["11th", "12th", "13th"])
        self.assertEqual([ordinal(n) for n in (111, 112, 213)], ["111th", "112th", "213th"])


if __name__ == "__main__":
    unittest.main()
