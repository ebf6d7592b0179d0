import datetime as dt

from localdigital.core.working_days import add_working_days, is_working_day, working_days_between


def test_weekends_and_bank_holidays_are_not_working_days():
    assert not is_working_day(dt.date(2026, 11, 21))  # Saturday
    assert not is_working_day(dt.date(2026, 12, 28))  # Boxing Day, moved to Monday
    assert is_working_day(dt.date(2026, 11, 23))


def test_ten_working_days_over_christmas_skip_the_bank_holidays():
    # From Friday 18 December 2026: 21-24, 29-31 December, 4-6 January (Christmas, the moved
    # Boxing Day and New Year's Day do not count).
    assert add_working_days(dt.date(2026, 12, 18), 10) == dt.date(2027, 1, 6)
    assert working_days_between(dt.date(2026, 12, 18), dt.date(2027, 1, 6)) == 10


def test_no_working_days_between_a_day_and_itself():
    assert working_days_between(dt.date(2026, 5, 5), dt.date(2026, 5, 5)) == 0
