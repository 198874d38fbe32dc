//! Helpers for filtered listings: a day range typed as `YYYY-MM-DD` and a
//! "contains" pattern for `LIKE` that matches `%` and `_` literally.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Func, IntoColumnRef, LikeExpr, SimpleExpr};

use crate::error::AppError;

/// The highest page number (0-based) a list answers: far beyond any real
/// list, and well inside every integer the databases take for an offset.
pub const MAX_PAGE: u64 = 100_000;

/// The longest search text a list accepts, in characters.
pub const MAX_SEARCH: usize = 200;

/// A requested page, checked; beyond [`MAX_PAGE`] it is refused naming `page`.
pub fn page_number(page: u64) -> Result<u64, AppError> {
    if page > MAX_PAGE {
        return Err(AppError::invalid("page", "error-reason-page-range"));
    }
    Ok(page)
}

/// A search text, trimmed and checked; longer than [`MAX_SEARCH`] is refused
/// naming `field`. Empty means "no search".
pub fn search_text(field: &str, text: &str) -> Result<Option<String>, AppError> {
    let text = text.trim();
    if text.chars().count() > MAX_SEARCH {
        return Err(AppError::invalid(field, "error-reason-too-long"));
    }
    Ok((!text.is_empty()).then(|| text.to_string()))
}

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

/// `lower(column) LIKE '%text%'` with `text`'s wildcards matching themselves.
pub fn contains_text(column: impl IntoColumnRef, text: &str) -> SimpleExpr {
    Expr::expr(Func::lower(Expr::col(column)))
        .like(LikeExpr::new(like_contains(&text.to_lowercase())).escape('\\'))
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
    fn pages_and_searches_are_bounded() {
        assert_eq!(page_number(0), Ok(0));
        assert_eq!(page_number(MAX_PAGE), Ok(MAX_PAGE));
        for huge in [MAX_PAGE + 1, 1 << 63, u64::MAX] {
            assert_eq!(
                page_number(huge),
                Err(AppError::invalid("page", "error-reason-page-range"))
            );
        }
        assert_eq!(search_text("query", "  fox "), Ok(Some("fox".into())));
        assert_eq!(search_text("query", "   "), Ok(None));
        assert_eq!(
            search_text("query", &"x".repeat(MAX_SEARCH + 1)),
            Err(AppError::invalid("query", "error-reason-too-long"))
        );
    }

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
