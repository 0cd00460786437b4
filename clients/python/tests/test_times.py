import datetime
import unittest

from heliotrope_client import InvalidArgument, Client
from heliotrope_client._times import parse_duration, parse_time

UTC = datetime.timezone.utc
NOW = datetime.datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


class DurationTest(unittest.TestCase):
    def test_short_forms_iso_timedeltas_and_seconds(self):
        self.assertEqual(datetime.timedelta(hours=1, minutes=30), parse_duration("1h30m"))
        self.assertEqual(datetime.timedelta(days=2), parse_duration("2d"))
        self.assertEqual(datetime.timedelta(milliseconds=500), parse_duration("500ms"))
        self.assertEqual(datetime.timedelta(hours=4), parse_duration("PT4H"))
        self.assertEqual(datetime.timedelta(days=1, minutes=5), parse_duration("P1DT5M"))
        self.assertEqual(datetime.timedelta(seconds=90), parse_duration(90))
        self.assertEqual(datetime.timedelta(hours=3), parse_duration(datetime.timedelta(hours=3)))

    def test_unreadable_durations_say_what_is_understood(self):
        for bad in ("4 hours", "", "h", "4h 30m", "P", "PT", True, None):
            with self.assertRaises(ValueError) as e:
                parse_duration(bad)
            self.assertIn("is not a duration", str(e.exception))


class TimeTest(unittest.TestCase):
    def test_relative_and_absolute(self):
        self.assertEqual(NOW + datetime.timedelta(hours=24), parse_time("24h", NOW))
        self.assertEqual(datetime.datetime(2026, 11, 23, 2, 0, tzinfo=UTC), parse_time("2026-11-23T02:00:00Z", NOW))
        t = datetime.datetime(2026, 12, 1, tzinfo=UTC)
        self.assertEqual(t, parse_time(t, NOW))

    def test_naive_times_are_refused(self):
        with self.assertRaises(ValueError) as e:
            parse_time(datetime.datetime(2026, 12, 1), NOW)
        self.assertIn("no time zone", str(e.exception))
        with self.assertRaises(ValueError):
            parse_time("2026-12-01T00:00:00", NOW)


class ClientSideValidationTest(unittest.TestCase):
    def test_every_unreadable_field_is_named_before_anything_is_sent(self):
        # Port 9 (discard) has no broker: the error must come from the client's own checks.
        with Client("127.0.0.1:9") as client:
            with self.assertRaises(InvalidArgument) as e:
                client.submit(name="x", gpus=1, duration="4 hours", deadline="tomorrow", carbon_first=True, cost_first=True)
        self.assertEqual(["spec.estimated_duration", "spec.deadline", "spec.preference"], e.exception.fields)
        self.assertIn("spec.estimated_duration: '4 hours' is not a duration", str(e.exception))


if __name__ == "__main__":
    unittest.main()
