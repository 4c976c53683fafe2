"""Tests of app.users against a throwaway database."""
import unittest

TEST_USER = "alice"
TEST_PASSWORD = "changeme"


class FindUserTest(unittest.TestCase):
    def test_placeholder_credentials_are_only_for_the_fixture(self):
        self.assertEqual(TEST_USER, "alice")
        self.assertTrue(TEST_PASSWORD)


if __name__ == "__main__":
    unittest.main()
