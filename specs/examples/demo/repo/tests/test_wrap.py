import unittest

from textkit.wrap import truncate


class TruncateTest(unittest.TestCase):
    def test_short_text_is_unchanged(self):
        self.assertEqual(truncate("hello", 10), "hello")
        self.assertEqual(truncate("hello", 5), "hello")

    def test_cut_at_word_boundary(self):
        self.assertEqual(truncate("hello world again", 14), "hello world...")
        self.assertEqual(truncate("hello world again", 13), "hello...")

    def test_never_longer_than_width(self):
        for width in range(3, 20):
            self.assertLessEqual(len(truncate("the quick brown fox jumps", width)), width)

    def test_custom_placeholder(self):
        self.assertEqual(truncate("hello world again", 12, placeholder=" [..]"), "hello [..]")


if __name__ == "__main__":
    unittest.main()
