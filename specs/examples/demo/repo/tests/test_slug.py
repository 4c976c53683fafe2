import unittest

from textkit.slug import slugify


class SlugifyTest(unittest.TestCase):
    def test_simple_words(self):
        self.assertEqual(slugify("Hello World"), "hello-world")

    def test_accents_are_dropped(self):
        self.assertEqual(slugify("  Crème brûlée "), "creme-brulee")

    def test_empty(self):
        self.assertEqual(slugify(""), "")
        self.assertEqual(slugify("!!!"), "")

    def test_punctuation_runs_become_one_dash(self):
        self.assertEqual(slugify("Hello, World!"), "hello-world")
        self.assertEqual(slugify("a -- b"), "a-b")
        self.assertEqual(slugify("C++ / Java & Python"), "c-java-python")


if __name__ == "__main__":
    unittest.main()
