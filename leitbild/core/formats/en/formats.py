"""English date formats for a German city's site: day month year and the 24-hour clock.

Django's English defaults ("Dec. 1, 2026, 4 p.m.") end in an abbreviation's period, so a
sentence with a date at its end ended in "..". These formats contain no period at all, and the
day-first order and 24-hour clock match the German pages and the letters the city sends.
"""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
FIRST_DAY_OF_WEEK = 1  # Monday
