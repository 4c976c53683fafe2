import unittest

from textkit.words import word_count


class WordCountTest(unittest.TestCase):
    def test_single_spaces(self):
        self.assertEqual(word_count("one two three"), 3)

    def test_empty_and_blank(self):
        self.assertEqual(word_count(""), 0)
        self.assertEqual(word_count("   "), 0)

    def test_any_whitespace_separates_words(self):
        self.assertEqual(word_count("one  two"), 2)
        self.assertEqual(word_count("one\ttwo\nthree "), 3)


if __name__ == "__main__":
    unittest.main()
