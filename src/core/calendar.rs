//! Dates: parsing what people type, UK long dates, and working days over the England and Wales
//! bank holidays: the published list where it exists, the usual rules (with the one-off changes,
//! which are data) from 1978 to 2200 beyond it. A date outside those years is an error, never a
//! guess.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::{Date, Weekday};
use jiff::{Span, ToSpan};

use crate::core::format::BankHolidaysFile;

/// The first year the usual rules describe: the early May bank holiday began in 1978.
pub const RULES_FROM: i16 = 1978;
/// The last year worked out from the rules; later dates are outside the calendar.
pub const RULES_TO: i16 = 2200;

/// The bank holidays: the published years as listed, every other year from `RULES_FROM` to
/// `RULES_TO` by the usual rules and the one-off changes.
#[derive(Debug, Clone)]
pub struct Calendar {
    holidays: BTreeSet<Date>,
    /// The years worked out, or the file's provisional years; `None` when nothing is covered.
    first_year: i16,
    last_year: i16,
    /// The published list's last year that is not provisional (0 when none is).
    published_to: i16,
    /// When the file was last compared with its source.
    checked: Option<Date>,
    provisional_years: BTreeSet<i16>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error(
        "we can't count working days for {date}: our bank-holiday calendar covers {first} to {last} only"
    )]
    OutOfRange { date: String, first: i16, last: i16 },
    #[error("{0}")]
    Arithmetic(String),
}

/// Why the bank-holiday file cannot make a calendar.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HolidaysError {
    #[error("`{0}` is not a year")]
    NotAYear(String),
    #[error("`{0}` is not a real date")]
    NotADate(String),
    #[error("{date} is listed under {year}")]
    WrongYear { date: String, year: String },
    #[error("the calendar lists no years")]
    NoYears,
    #[error("the calendar's years must follow each other with no gap ({first} to {last})")]
    Gap { first: i16, last: i16 },
    #[error(
        "the one-off change for {year} removes {date}, which is not a usual bank holiday that year"
    )]
    NotUsual { year: String, date: String },
}

/// Why a date example in a tree does not resolve to a date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExampleError {
    #[error("`{0}` is neither a YYYY-MM-DD date nor an offset like -15wd")]
    Unreadable(String),
    #[error("`{example}`: `{number}` is not a whole number")]
    NotANumber { example: String, number: String },
    #[error("`{0}`: the unit must be d (days), wd (working days) or m (months)")]
    UnknownUnit(String),
    /// The offset is fine but the date it gives cannot be worked out (for working days, when
    /// it is outside the years the calendar covers).
    #[error(transparent)]
    Calendar(#[from] CalendarError),
}

impl Calendar {
    /// Builds the calendar from the bank-holidays file: its listed years as they are (they must
    /// follow each other with no gap), and every other year from `RULES_FROM` to `RULES_TO`
    /// from the usual rules with the file's one-off changes.
    pub(crate) fn from_file(file: &BankHolidaysFile) -> Result<Calendar, HolidaysError> {
        let mut years = BTreeMap::new();
        for (year, entry) in &file.years {
            let y = parse_year(year)?;
            let dates = dates_of(year, y, &entry.dates)?;
            years.insert(y, (dates, entry.provisional));
        }
        let (Some(&first), Some(&last)) = (years.keys().next(), years.keys().next_back()) else {
            return Err(HolidaysError::NoYears);
        };
        if (last - first + 1) as usize != years.len() {
            return Err(HolidaysError::Gap { first, last });
        }
        let one_off = one_off_changes(file)?;
        let mut holidays = BTreeSet::new();
        let mut provisional_years = BTreeSet::new();
        let mut published_to = 0;
        for (y, (dates, provisional)) in years {
            holidays.extend(dates);
            if provisional {
                provisional_years.insert(y);
            } else {
                published_to = y;
            }
        }
        for y in (RULES_FROM..=RULES_TO).filter(|y| *y < first || *y > last) {
            holidays.extend(rules_with_changes(y, &one_off));
            // Years after the list may still gain a one-off day when they are announced.
            if y > last {
                provisional_years.insert(y);
            }
        }
        Ok(Calendar {
            holidays,
            first_year: first.min(RULES_FROM),
            last_year: last.max(RULES_TO),
            published_to,
            checked: parse_iso(&file.checked),
            provisional_years,
        })
    }

    /// A calendar that covers no year: every working-day question is an error. Used only to
    /// keep checking a tree's other parts when the bank-holidays file itself is broken.
    pub(crate) fn uncovered() -> Calendar {
        Calendar {
            holidays: BTreeSet::new(),
            first_year: 1,
            last_year: 0,
            published_to: 0,
            checked: None,
            provisional_years: BTreeSet::new(),
        }
    }

    /// The last year of the published list (not provisional), for the warning that it needs
    /// refreshing.
    pub(crate) fn published_to(&self) -> i16 {
        self.published_to
    }

    /// When the bank-holidays file was last compared with its source.
    pub(crate) fn checked(&self) -> Option<Date> {
        self.checked
    }

    pub(crate) fn first_year(&self) -> i16 {
        self.first_year
    }

    pub(crate) fn last_year(&self) -> i16 {
        self.last_year
    }

    /// True if the year's dates are worked out from the rules, not yet published: a one-off
    /// bank holiday may still be added.
    pub(crate) fn is_provisional(&self, year: i16) -> bool {
        self.provisional_years.contains(&year)
    }

    fn covers(&self, date: Date) -> Result<(), CalendarError> {
        if date.year() < self.first_year || date.year() > self.last_year {
            return Err(CalendarError::OutOfRange {
                date: long_date(date),
                first: self.first_year,
                last: self.last_year,
            });
        }
        Ok(())
    }

    /// A weekday that is not a bank holiday (Christmas Day, Boxing Day and Good Friday are bank
    /// holidays in the calendar, so the 2006 regulations' definition is met).
    pub(crate) fn is_working_day(&self, date: Date) -> Result<bool, CalendarError> {
        self.covers(date)?;
        let weekend = matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday);
        Ok(!weekend && !self.holidays.contains(&date))
    }

    /// The date `n` working days after `date` (before it when `n` is negative). Day 1 is the
    /// first working day after `date`, as when a council has "10 working days" to reply.
    pub fn add_working_days(&self, date: Date, n: i64) -> Result<Date, CalendarError> {
        self.covers(date)?;
        let step = if n < 0 { -1 } else { 1 };
        let mut left = n.abs();
        let mut day = date;
        while left > 0 {
            day = add_days(day, step)?;
            if self.is_working_day(day)? {
                left -= 1;
            }
        }
        Ok(day)
    }

    /// Working days after `a` up to and including `b`; negative when `b` is before `a`.
    pub fn working_days(&self, a: Date, b: Date) -> Result<i64, CalendarError> {
        self.covers(a)?;
        self.covers(b)?;
        Ok(self.weekdays_not_holidays(a, b))
    }

    /// Like `working_days`, for dates before 1978 or after 2200 too: weekdays, less the bank
    /// holidays the calendar knows. For conditions ("is the reply late?") only, where a date
    /// decades from the threshold must still take the right arm rather than none; the summary
    /// says such counts may be a few days out.
    pub fn working_days_approx(&self, a: Date, b: Date) -> i64 {
        self.weekdays_not_holidays(a, b)
    }

    fn weekdays_not_holidays(&self, a: Date, b: Date) -> i64 {
        let (lo, hi, sign) = if a <= b { (a, b, 1) } else { (b, a, -1) };
        let mut count = 0;
        let mut day = lo;
        while day < hi {
            let Ok(next) = add_days(day, 1) else { break };
            day = next;
            let weekend = matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday);
            if !weekend && !self.holidays.contains(&day) {
                count += 1;
            }
        }
        sign * count
    }
}

fn parse_year(year: &str) -> Result<i16, HolidaysError> {
    year.parse()
        .map_err(|_| HolidaysError::NotAYear(year.to_string()))
}

fn dates_of(year: &str, y: i16, dates: &[String]) -> Result<Vec<Date>, HolidaysError> {
    dates
        .iter()
        .map(|d| {
            let date = parse_iso(d).ok_or_else(|| HolidaysError::NotADate(d.clone()))?;
            if date.year() != y {
                return Err(HolidaysError::WrongYear {
                    date: d.clone(),
                    year: year.to_string(),
                });
            }
            Ok(date)
        })
        .collect()
}

/// Year -> (days added, usual days removed), from the file's `one_off`.
type Changes = BTreeMap<i16, (Vec<Date>, Vec<Date>)>;

fn one_off_changes(file: &BankHolidaysFile) -> Result<Changes, HolidaysError> {
    let mut out = BTreeMap::new();
    for (year, change) in &file.one_off {
        let y = parse_year(year)?;
        let add = dates_of(year, y, &change.add)?;
        let remove = dates_of(year, y, &change.remove)?;
        let usual = usual_holidays(y);
        if let Some(d) = remove.iter().find(|d| !usual.contains(d)) {
            return Err(HolidaysError::NotUsual {
                year: year.clone(),
                date: d.to_string(),
            });
        }
        out.insert(y, (add, remove));
    }
    Ok(out)
}

/// The usual rules with that year's one-off changes.
fn rules_with_changes(year: i16, changes: &Changes) -> Vec<Date> {
    let mut days = usual_holidays(year);
    if let Some((add, remove)) = changes.get(&year) {
        days.retain(|d| !remove.contains(d));
        days.extend(add.iter().copied());
        days.sort();
    }
    days
}

/// England and Wales bank holidays by the usual rules (Banking and Financial Dealings Act 1971,
/// Schedule 1, and the royal proclamations that add New Year's Day and the early May Monday
/// each year): New Year's Day, Good Friday, Easter Monday, the first and last Mondays in May,
/// the last Monday in August, Christmas Day and Boxing Day, a day that falls at a weekend
/// moved to the next weekday that is not already a holiday. From `RULES_FROM` to `RULES_TO`.
pub fn usual_holidays(year: i16) -> Vec<Date> {
    let date = |m: i8, d: i8| Date::new(year, m, d).expect("a fixed day of a real month");
    // The nth Monday of a month (-1: the last); every month has at least four.
    let monday = |m: i8, nth: i8| {
        date(m, 1)
            .nth_weekday_of_month(nth, Weekday::Monday)
            .expect("a month has a first and a last Monday")
    };
    let easter = easter_sunday(year);
    let mut days = vec![
        easter
            .yesterday()
            .and_then(|d| d.yesterday())
            .unwrap_or(easter),
        easter.tomorrow().unwrap_or(easter),
        monday(5, 1),
        monday(5, -1),
        monday(8, -1),
    ];
    // The fixed days: one at a weekend moves to the next weekday not already taken (Christmas
    // on a Saturday gives Monday 27th, and Boxing Day Tuesday 28th).
    let mut fixed: Vec<Date> = Vec::new();
    for mut day in [date(1, 1), date(12, 25), date(12, 26)] {
        while matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday) || fixed.contains(&day) {
            match day.tomorrow() {
                Ok(next) => day = next,
                Err(_) => break,
            }
        }
        fixed.push(day);
    }
    days.extend(fixed);
    days.sort();
    days
}

/// Easter Sunday in the Gregorian calendar (the anonymous algorithm in Meeus, Astronomical
/// Algorithms, chapter 8).
pub fn easter_sunday(year: i16) -> Date {
    let y = year as i32;
    let (a, b, c) = (y % 19, y / 100, y % 100);
    let (d, e) = (b / 4, b % 4);
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let (i, k) = (c / 4, c % 4);
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    Date::new(year, month as i8, day as i8).expect("Easter falls in March or April")
}

pub(crate) fn add_days(date: Date, n: i64) -> Result<Date, CalendarError> {
    date.checked_add(n.days())
        .map_err(|e| CalendarError::Arithmetic(e.to_string()))
}

/// Calendar months; the 31st plus one month is the last day of the next month.
pub(crate) fn add_months(date: Date, n: i64) -> Result<Date, CalendarError> {
    let span = Span::new()
        .try_months(n)
        .map_err(|e| CalendarError::Arithmetic(e.to_string()))?;
    date.checked_add(span)
        .map_err(|e| CalendarError::Arithmetic(e.to_string()))
}

/// Days from `a` to `b` (negative if `b` is earlier).
pub(crate) fn days_between(a: Date, b: Date) -> i64 {
    // A span between two civil dates is in days and cannot overflow for real dates.
    b.since(a).map(|span| span.get_days() as i64).unwrap_or(0)
}

/// "Friday 14 March 2025".
pub fn long_date(date: Date) -> String {
    date.strftime("%A %-d %B %Y").to_string()
}

/// Strict YYYY-MM-DD, the form dates take inside trees and facts.
pub fn parse_iso(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year: i16 = s.get(0..4)?.parse().ok()?;
    let month: i8 = s.get(5..7)?.parse().ok()?;
    let day: i8 = s.get(8..10)?.parse().ok()?;
    Date::new(year, month, day).ok()
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Why a typed date was not accepted, in words a person can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateInputError {
    #[error("Enter a date, for example 3/2/2025 or 3 February 2025.")]
    Empty,
    #[error("We couldn't read \"{0}\" as a date. Write it like 3/2/2025 (day/month/year) or 3 February 2025.")]
    Unreadable(String),
    #[error("{0} is not a real date. Check the day and the month.")]
    DoesNotExist(String),
    #[error(
        "{0} is outside the dates Signpost can work with (the years 1900 to 2200). Check the year."
    )]
    OutOfRange(String),
}

/// The first and last years Signpost takes in a date typed by a person or given as `--today`.
pub const YEARS: std::ops::RangeInclusive<i16> = 1900..=2200;

/// Whether `date` is in the years Signpost works with (`YEARS`).
pub fn in_supported_years(date: Date) -> bool {
    YEARS.contains(&date.year())
}

/// Reads a date as a person in the UK writes it: 3/2/2025, 03-02-2025, 3 Feb 2025,
/// 3 February 2025, or 2025-02-03. Day comes before month.
pub(crate) fn parse_user_date(input: &str) -> Result<Date, DateInputError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(DateInputError::Empty);
    }
    let unreadable = || DateInputError::Unreadable(s.to_string());
    // ISO first: a four-digit year at the front cannot be a day.
    if s.len() == 10 && s.as_bytes()[4] == b'-' {
        let (y, m, d) = (
            s[0..4].parse::<i32>().map_err(|_| unreadable())?,
            s[5..7].parse::<i32>().map_err(|_| unreadable())?,
            s[8..10].parse::<i32>().map_err(|_| unreadable())?,
        );
        return make_date(y, m, d, s);
    }
    let parts: Vec<&str> = s
        .split(['/', '-', '.', ' ', ','])
        .filter(|p| !p.is_empty())
        .collect();
    // Allow a weekday in front, as in "Monday 3 February 2025".
    let parts: Vec<&str> = match parts.first() {
        Some(first) if first.chars().all(|c| c.is_alphabetic()) && parts.len() == 4 => {
            parts[1..].to_vec()
        }
        _ => parts,
    };
    if parts.len() != 3 {
        return Err(unreadable());
    }
    let day_str = parts[0].trim_end_matches(|c: char| c.is_alphabetic()); // 3rd, 21st
    let day: i32 = day_str.parse().map_err(|_| unreadable())?;
    let month: i32 = match parts[1].parse::<i32>() {
        Ok(m) => m,
        Err(_) => {
            let word = parts[1].to_lowercase();
            if word.len() < 3 {
                return Err(unreadable());
            }
            let pos = MONTHS
                .iter()
                .position(|m| m.starts_with(&word))
                .ok_or_else(unreadable)?;
            pos as i32 + 1
        }
    };
    let year: i32 = parts[2].parse().map_err(|_| unreadable())?;
    let year = if parts[2].len() == 2 {
        2000 + year
    } else {
        year
    };
    if parts[2].len() != 2 && parts[2].len() != 4 {
        return Err(unreadable());
    }
    make_date(year, month, day, s)
}

fn make_date(y: i32, m: i32, d: i32, original: &str) -> Result<Date, DateInputError> {
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return Err(DateInputError::DoesNotExist(original.to_string()));
    }
    if !(*YEARS.start() as i32..=*YEARS.end() as i32).contains(&y) {
        return Err(DateInputError::OutOfRange(original.to_string()));
    }
    Date::new(y as i16, m as i8, d as i8)
        .map_err(|_| DateInputError::DoesNotExist(original.to_string()))
}

/// Reads a date example from a tree: an ISO date, or an offset from today such as "-15wd"
/// (working days), "+10d" (days), "-3m" (months) or "0d".
pub(crate) fn resolve_example(
    example: &str,
    today: Date,
    calendar: &Calendar,
) -> Result<Date, ExampleError> {
    if let Some(date) = parse_iso(example) {
        return Ok(date);
    }
    let s = example.trim();
    let (num, unit) = match s.find(|c: char| c.is_ascii_alphabetic()) {
        Some(i) => (&s[..i], &s[i..]),
        None => return Err(ExampleError::Unreadable(example.to_string())),
    };
    let n: i64 = num
        .trim_start_matches('+')
        .parse()
        .map_err(|_| ExampleError::NotANumber {
            example: example.to_string(),
            number: num.to_string(),
        })?;
    match unit {
        "d" => Ok(add_days(today, n)?),
        "wd" => Ok(calendar.add_working_days(today, n)?),
        "m" => Ok(add_months(today, n)?),
        _ => Err(ExampleError::UnknownUnit(example.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cal() -> Calendar {
        let file: BankHolidaysFile =
            serde_json::from_str(include_str!("../../trees/bank-holidays.json")).unwrap();
        Calendar::from_file(&file).unwrap()
    }

    fn d(s: &str) -> Date {
        parse_iso(s).unwrap()
    }

    #[test]
    fn ten_working_days_skip_weekends() {
        // MC1704 sent her complaint on Monday 3 February 2025; 10 working days later is Monday 17.
        assert_eq!(
            cal().add_working_days(d("2025-02-03"), 10).unwrap(),
            d("2025-02-17")
        );
    }

    #[test]
    fn working_days_skip_easter_and_christmas() {
        // Thursday 17 April 2025 + 1 working day skips Good Friday and Easter Monday.
        assert_eq!(
            cal().add_working_days(d("2025-04-17"), 1).unwrap(),
            d("2025-04-22")
        );
        // 2026's Boxing Day falls on a Saturday; the substitute day is Monday 28 December.
        assert_eq!(
            cal().add_working_days(d("2026-12-24"), 1).unwrap(),
            d("2026-12-29")
        );
    }

    #[test]
    fn working_days_between_counts_and_signs() {
        let c = cal();
        assert_eq!(
            c.working_days(d("2025-02-03"), d("2025-02-17")).unwrap(),
            10
        );
        assert_eq!(
            c.working_days(d("2025-02-17"), d("2025-02-03")).unwrap(),
            -10
        );
        assert_eq!(c.working_days(d("2025-02-28"), d("2025-02-28")).unwrap(), 0);
        // From Monday 17 February to Friday 28 February 2025: 9 working days late.
        assert_eq!(c.working_days(d("2025-02-17"), d("2025-02-28")).unwrap(), 9);
    }

    #[test]
    fn outside_the_calendar_is_an_error() {
        // The published years, and from 1978 to 2200 the rules: 2031 and 2017 are counted.
        assert_eq!(
            cal().add_working_days(d("2031-01-06"), 3).unwrap(),
            d("2031-01-09")
        );
        assert!(cal().working_days(d("2017-12-01"), d("2025-01-01")).is_ok());
        let err = cal().add_working_days(d("1977-01-06"), 3).unwrap_err();
        assert!(err.to_string().contains("covers 1978 to 2200"), "{err}");
        assert!(cal()
            .working_days(d("1977-12-01"), d("2025-01-01"))
            .is_err());
        // Counting forward off the end of the calendar is an error too.
        assert!(cal().add_working_days(d("2200-12-20"), 20).is_err());
    }

    #[test]
    fn the_rules_give_the_published_dates() {
        // Substitute days: Christmas on a Saturday (2021), New Year on a Saturday (2022).
        let days = |y| {
            usual_holidays(y)
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            days(2021),
            [
                "2021-01-01",
                "2021-04-02",
                "2021-04-05",
                "2021-05-03",
                "2021-05-31",
                "2021-08-30",
                "2021-12-27",
                "2021-12-28"
            ]
        );
        assert_eq!(days(2022)[0], "2022-01-03");
        assert_eq!(easter_sunday(2025), d("2025-04-20"));
    }

    #[test]
    fn long_dates_read_as_people_write_them() {
        assert_eq!(long_date(d("2025-03-14")), "Friday 14 March 2025");
        assert_eq!(long_date(d("2025-02-03")), "Monday 3 February 2025");
    }

    #[test]
    fn user_dates_in_uk_order() {
        assert_eq!(parse_user_date("3/2/2025").unwrap(), d("2025-02-03"));
        assert_eq!(parse_user_date("03-02-2025").unwrap(), d("2025-02-03"));
        assert_eq!(parse_user_date("3 Feb 2025").unwrap(), d("2025-02-03"));
        assert_eq!(
            parse_user_date("3rd February 2025").unwrap(),
            d("2025-02-03")
        );
        assert_eq!(
            parse_user_date("Monday 3 February 2025").unwrap(),
            d("2025-02-03")
        );
        assert_eq!(parse_user_date("2025-02-03").unwrap(), d("2025-02-03"));
        assert!(matches!(
            parse_user_date("31/2/2025"),
            Err(DateInputError::DoesNotExist(_))
        ));
        assert!(matches!(
            parse_user_date("30 February 2025"),
            Err(DateInputError::DoesNotExist(_))
        ));
        assert!(matches!(
            parse_user_date("next tuesday"),
            Err(DateInputError::Unreadable(_))
        ));
        assert!(matches!(parse_user_date("  "), Err(DateInputError::Empty)));
        // A real date outside the years Signpost works with says so, not "not a real date".
        for far in ["3/2/9000", "3/2/1066", "0000-01-01", "3 February 2201"] {
            let e = parse_user_date(far).unwrap_err();
            assert!(matches!(e, DateInputError::OutOfRange(_)), "{far}: {e:?}");
            assert!(e.to_string().contains("1900 to 2200"), "{e}");
        }
        assert!(parse_user_date("31/12/2200").is_ok());
        assert!(parse_user_date("1/1/1900").is_ok());
        assert!(matches!(
            parse_user_date("3 Fx 2025"),
            Err(DateInputError::Unreadable(_))
        ));
    }

    #[test]
    fn examples_resolve_relative_to_today() {
        let c = cal();
        let today = d("2025-02-28");
        assert_eq!(
            resolve_example("-15wd", today, &c).unwrap(),
            d("2025-02-07")
        );
        assert_eq!(resolve_example("-3m", today, &c).unwrap(), d("2024-11-28"));
        assert_eq!(resolve_example("+1d", today, &c).unwrap(), d("2025-03-01"));
        assert_eq!(
            resolve_example("2024-08-20", today, &c).unwrap(),
            d("2024-08-20")
        );
        assert!(resolve_example("-3y", today, &c).is_err());
        assert!(resolve_example("soon", today, &c).is_err());
    }

    #[test]
    fn days_between_matches_calendar() {
        assert_eq!(days_between(d("2024-02-28"), d("2024-03-01")), 2);
        assert_eq!(days_between(d("2025-03-01"), d("2025-02-28")), -1);
    }

    #[test]
    fn a_gap_in_the_years_is_refused() {
        let mut file: BankHolidaysFile =
            serde_json::from_str(include_str!("../../trees/bank-holidays.json")).unwrap();
        file.years.remove("2026");
        assert!(matches!(
            Calendar::from_file(&file),
            Err(HolidaysError::Gap { .. })
        ));
    }
}
