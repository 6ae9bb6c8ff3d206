"""Project test bases: one stops every patcher after each test, one does not, one needs its setUp."""

import os
import unittest
from unittest import mock

import fixtures
import testtools


class StopallTestCase(unittest.TestCase):
    def setUp(self):
        super().setUp()
        self.addCleanup(mock.patch.stopall)


class PlainTestCase(testtools.TestCase):
    def setUp(self):
        super().setUp()
        self.db = {}


class NestedTempTestCase(unittest.TestCase):
    def setUp(self):
        super().setUp()
        self.useFixture(fixtures.NestedTempfile())
        self.env = dict(os.environ)
