//! Helpers for filtered listings: a day range typed as `YYYY-MM-DD` and a
//! "contains" pattern for `LIKE` that matches `%` and `_` literally.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};

use crate::error::AppError;

/// A pattern for `LIKE … ESCAPE '\'` that finds `text` anywhere, with `%`,
/// `_` and `\` in it matching themselves.
pub fn like_contains(text: &str) -> String {
    format!(
        "%{}%",
        text.replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    )
}

/// An inclusive range of whole days (UTC), either end open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DayRange {
    /// Midnight starting the first day.
    pub start: Option<DateTime<Utc>>,
    /// Midnight after the last day (exclusive).
    pub end: Option<DateTime<Utc>>,
}

impl DayRange {
    /// Reads `from` and `to` as typed; an unreadable date or a range that
    /// ends before it starts is refused naming the field.
    pub fn parse(from: &str, to: &str) -> Result<Self, AppError> {
        let start = day("from", from)?;
        let last = day("to", to)?;
        if let (Some(start), Some(last)) = (start, last)
            && last < start
        {
            return Err(AppError::invalid("to", "error-reason-date-order"));
        }
        Ok(DayRange {
            start,
            end: last.map(|d| d + chrono::Duration::days(1)),
        })
    }
}

fn day(field: &str, text: &str) -> Result<Option<DateTime<Utc>>, AppError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let day = NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| AppError::invalid(field, "error-reason-date"))?;
    Ok(Some(Utc.from_utc_datetime(
        &day.and_hms_opt(0, 0, 0).expect("midnight exists"),
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_wildcards_literally() {
        assert_eq!(like_contains("50%_off\\"), "%50\\%\\_off\\\\%");
    }

    #[test]
    fn day_ranges_include_the_last_day_and_name_bad_fields() {
        let range = DayRange::parse("2026-12-01", "2026-12-01").unwrap();
        assert_eq!(
            range.end.unwrap() - range.start.unwrap(),
            chrono::Duration::days(1)
        );
        assert_eq!(DayRange::parse("", "").unwrap(), DayRange::default());
        assert_eq!(
            DayRange::parse("yesterday", ""),
            Err(AppError::invalid("from", "error-reason-date"))
        );
        assert_eq!(
            DayRange::parse("2026-12-02", "2026-12-01"),
            Err(AppError::invalid("to", "error-reason-date-order"))
        );
    }
}
