//! Pricing formulas: `100 * (resolution == '1080p' ? 1.5 : 1) + (generate_audio ? 50 : 0)`.
//! Numbers, `+ - * / %`, comparisons, `&& || !`, `?:`, parentheses, single- or
//! double-quoted strings, booleans (usable as 1/0) and the model's parameters
//! as variables. Parsing is bounded (length, nesting, size) and evaluation is a
//! single pass over the tree, so a formula can neither panic nor run unbounded.

use std::collections::HashMap;

/// The longest formula accepted, in characters.
pub const MAX_LEN: usize = 2_000;
/// The deepest nesting accepted.
pub const MAX_DEPTH: usize = 64;

/// A value in a formula.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Num(f64),
    Str(String),
    Bool(bool),
}

/// Why a formula was refused, with the character position where it applies.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
pub enum FormulaError {
    #[error("the formula is empty")]
    Empty,
    #[error("the formula is longer than {MAX_LEN} characters")]
    TooLong,
    #[error("the formula nests deeper than {MAX_DEPTH} levels")]
    TooDeep,
    #[error("unexpected `{found}` at position {at}")]
    Unexpected { found: String, at: usize },
    #[error("the formula ends too early")]
    UnexpectedEnd,
    #[error("a string starting at position {at} is not closed")]
    UnclosedString { at: usize },
    #[error("`{text}` at position {at} is not a number")]
    BadNumber { text: String, at: usize },
    #[error("unknown variable `{name}`")]
    UnknownVariable { name: String },
    #[error("`{op}` cannot be used with {left} and {right}")]
    TypeMismatch {
        op: String,
        left: String,
        right: String,
    },
    #[error("division by zero")]
    DivisionByZero,
    #[error("the price is not a finite number")]
    NotFinite,
    #[error("the price is negative ({value})")]
    Negative { value: String },
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Num(f64),
    Str(String),
    Ident(String),
    Op(&'static str),
    LParen,
    RParen,
}

fn tokenize(src: &str) -> Result<Vec<(Token, usize)>, FormulaError> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let at = i;
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit()
            || (c == '.' && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit()))
        {
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            let text: String = chars[at..i].iter().collect();
            let value = text.parse::<f64>().map_err(|_| FormulaError::BadNumber {
                text: text.clone(),
                at,
            })?;
            out.push((Token::Num(value), at));
        } else if c == '\'' || c == '"' {
            i += 1;
            let start = i;
            while i < chars.len() && chars[i] != c {
                i += 1;
            }
            if i >= chars.len() {
                return Err(FormulaError::UnclosedString { at });
            }
            out.push((Token::Str(chars[start..i].iter().collect()), at));
            i += 1;
        } else if c.is_alphabetic() || c == '_' {
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push((Token::Ident(chars[at..i].iter().collect()), at));
        } else if c == '(' {
            out.push((Token::LParen, at));
            i += 1;
        } else if c == ')' {
            out.push((Token::RParen, at));
            i += 1;
        } else {
            let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
            let op = ["==", "!=", "<=", ">=", "&&", "||"]
                .into_iter()
                .find(|op| *op == two);
            if let Some(op) = op {
                out.push((Token::Op(op), at));
                i += 2;
            } else if let Some(op) = ["+", "-", "*", "/", "%", "<", ">", "!", "?", ":"]
                .into_iter()
                .find(|op| op.starts_with(c))
            {
                out.push((Token::Op(op), at));
                i += 1;
            } else {
                return Err(FormulaError::Unexpected {
                    found: c.to_string(),
                    at,
                });
            }
        }
    }
    Ok(out)
}

/// A parsed formula.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Num(f64),
    Str(String),
    Bool(bool),
    Var(String),
    Not(Box<Expr>),
    Neg(Box<Expr>),
    Binary(&'static str, Box<Expr>, Box<Expr>),
    Ternary(Box<Expr>, Box<Expr>, Box<Expr>),
}

struct Parser {
    tokens: Vec<(Token, usize)>,
    pos: usize,
    depth: usize,
}

fn binding(op: &str) -> Option<u8> {
    Some(match op {
        "||" => 1,
        "&&" => 2,
        "==" | "!=" => 3,
        "<" | ">" | "<=" | ">=" => 4,
        "+" | "-" => 5,
        "*" | "/" | "%" => 6,
        _ => return None,
    })
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos).map(|(t, _)| t)
    }

    fn next(&mut self) -> Result<(Token, usize), FormulaError> {
        let token = self
            .tokens
            .get(self.pos)
            .cloned()
            .ok_or(FormulaError::UnexpectedEnd)?;
        self.pos += 1;
        Ok(token)
    }

    fn descend(&mut self) -> Result<(), FormulaError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            Err(FormulaError::TooDeep)
        } else {
            Ok(())
        }
    }

    /// ternary := binary ('?' ternary ':' ternary)?
    fn ternary(&mut self) -> Result<Expr, FormulaError> {
        self.descend()?;
        let condition = self.binary(0)?;
        let result = if self.peek() == Some(&Token::Op("?")) {
            self.pos += 1;
            let yes = self.ternary()?;
            match self.next()? {
                (Token::Op(":"), _) => {}
                (other, at) => return Err(unexpected(&other, at)),
            }
            let no = self.ternary()?;
            Expr::Ternary(Box::new(condition), Box::new(yes), Box::new(no))
        } else {
            condition
        };
        self.depth -= 1;
        Ok(result)
    }

    fn binary(&mut self, min: u8) -> Result<Expr, FormulaError> {
        let mut left = self.unary()?;
        // Each chained operator makes the tree one level deeper (`1+1+1…` leans left).
        let mut chained = 0;
        while let Some(Token::Op(op)) = self.peek().cloned() {
            let Some(power) = binding(op) else { break };
            if power <= min {
                break;
            }
            self.pos += 1;
            self.descend()?;
            chained += 1;
            let right = self.binary(power)?;
            left = Expr::Binary(op, Box::new(left), Box::new(right));
        }
        self.depth -= chained;
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, FormulaError> {
        self.descend()?;
        let (token, at) = self.next()?;
        let expr = match token {
            Token::Num(n) => Expr::Num(n),
            Token::Str(s) => Expr::Str(s),
            Token::Ident(name) => match name.as_str() {
                "true" => Expr::Bool(true),
                "false" => Expr::Bool(false),
                _ => Expr::Var(name),
            },
            Token::Op("!") => Expr::Not(Box::new(self.unary()?)),
            Token::Op("-") => Expr::Neg(Box::new(self.unary()?)),
            Token::Op("+") => self.unary()?,
            Token::LParen => {
                let inner = self.ternary()?;
                match self.next()? {
                    (Token::RParen, _) => inner,
                    (other, at) => return Err(unexpected(&other, at)),
                }
            }
            other => return Err(unexpected(&other, at)),
        };
        self.depth -= 1;
        Ok(expr)
    }
}

fn unexpected(token: &Token, at: usize) -> FormulaError {
    let found = match token {
        Token::Num(n) => n.to_string(),
        Token::Str(s) => format!("'{s}'"),
        Token::Ident(s) => s.clone(),
        Token::Op(op) => op.to_string(),
        Token::LParen => "(".into(),
        Token::RParen => ")".into(),
    };
    FormulaError::Unexpected { found, at }
}

/// Parses a formula.
pub fn parse(src: &str) -> Result<Expr, FormulaError> {
    if src.chars().count() > MAX_LEN {
        return Err(FormulaError::TooLong);
    }
    let tokens = tokenize(src)?;
    if tokens.is_empty() {
        return Err(FormulaError::Empty);
    }
    let mut parser = Parser {
        tokens,
        pos: 0,
        depth: 0,
    };
    let expr = parser.ternary()?;
    if let Some((token, at)) = parser.tokens.get(parser.pos) {
        return Err(unexpected(token, *at));
    }
    Ok(expr)
}

impl Expr {
    /// The variables the formula reads, for validation against a model's parameters.
    pub fn variables(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.collect_variables(&mut out);
        out.sort();
        out.dedup();
        out
    }

    fn collect_variables(&self, out: &mut Vec<String>) {
        match self {
            Expr::Var(name) => out.push(name.clone()),
            Expr::Not(e) | Expr::Neg(e) => e.collect_variables(out),
            Expr::Binary(_, a, b) => {
                a.collect_variables(out);
                b.collect_variables(out);
            }
            Expr::Ternary(a, b, c) => {
                a.collect_variables(out);
                b.collect_variables(out);
                c.collect_variables(out);
            }
            Expr::Num(_) | Expr::Str(_) | Expr::Bool(_) => {}
        }
    }

    /// Evaluates with `vars` as the parameters.
    pub fn eval(&self, vars: &HashMap<String, Value>) -> Result<Value, FormulaError> {
        Ok(match self {
            Expr::Num(n) => Value::Num(*n),
            Expr::Str(s) => Value::Str(s.clone()),
            Expr::Bool(b) => Value::Bool(*b),
            Expr::Var(name) => vars
                .get(name)
                .cloned()
                .ok_or_else(|| FormulaError::UnknownVariable { name: name.clone() })?,
            Expr::Not(e) => Value::Bool(!truthy(&e.eval(vars)?)),
            Expr::Neg(e) => Value::Num(-number("-", &e.eval(vars)?, &Value::Num(0.0))?),
            Expr::Ternary(c, yes, no) => {
                if truthy(&c.eval(vars)?) {
                    yes.eval(vars)?
                } else {
                    no.eval(vars)?
                }
            }
            Expr::Binary(op, a, b) => {
                let (a, b) = (a.eval(vars)?, b.eval(vars)?);
                match *op {
                    "&&" => Value::Bool(truthy(&a) && truthy(&b)),
                    "||" => Value::Bool(truthy(&a) || truthy(&b)),
                    "==" => Value::Bool(equal(&a, &b)),
                    "!=" => Value::Bool(!equal(&a, &b)),
                    _ => {
                        let (x, y) = (number(op, &a, &b)?, number(op, &b, &a)?);
                        match *op {
                            "+" => Value::Num(x + y),
                            "-" => Value::Num(x - y),
                            "*" => Value::Num(x * y),
                            "/" | "%" if y == 0.0 => return Err(FormulaError::DivisionByZero),
                            "/" => Value::Num(x / y),
                            "%" => Value::Num(x % y),
                            "<" => Value::Bool(x < y),
                            ">" => Value::Bool(x > y),
                            "<=" => Value::Bool(x <= y),
                            _ => Value::Bool(x >= y),
                        }
                    }
                }
            }
        })
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Num(_) => "a number",
        Value::Str(_) => "text",
        Value::Bool(_) => "a boolean",
    }
}

/// Numbers and booleans (as 1/0) take part in arithmetic; text does not.
fn number(op: &str, v: &Value, other: &Value) -> Result<f64, FormulaError> {
    match v {
        Value::Num(n) => Ok(*n),
        Value::Bool(b) => Ok(if *b { 1.0 } else { 0.0 }),
        Value::Str(_) => Err(FormulaError::TypeMismatch {
            op: op.to_string(),
            left: kind(v).to_string(),
            right: kind(other).to_string(),
        }),
    }
}

fn truthy(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::Num(n) => *n != 0.0,
        Value::Str(s) => !s.is_empty(),
    }
}

fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::Str(_), _) | (_, Value::Str(_)) => false,
        _ => number("==", a, b).ok() == number("==", b, a).ok(),
    }
}

/// Evaluates a formula to whole credits: rounded up; negative or non-finite is an error.
pub fn price(src: &str, vars: &HashMap<String, Value>) -> Result<i64, FormulaError> {
    let value = parse(src)?.eval(vars)?;
    let n = number("price", &value, &value)?;
    if !n.is_finite() {
        return Err(FormulaError::NotFinite);
    }
    if n < 0.0 {
        return Err(FormulaError::Negative {
            value: n.to_string(),
        });
    }
    let credits = n.ceil();
    if credits > i64::MAX as f64 / 2.0 {
        return Err(FormulaError::NotFinite);
    }
    Ok(credits as i64)
}

#[cfg(test)]
mod tests;
