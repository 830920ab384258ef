//! Attribute defaults: `(default VALUE)` after an attribute's type. The value must be one the
//! attribute can take; weapon types and lists of them have no default, since a scenario that
//! does not say what a holding is cannot be given one silently.

use crate::ast::{self, DefaultValue, Literal, Node};
use crate::diagnostics::did_you_mean;
use crate::model::{self, AttributeDefault, AttributeType, Date, Scalar};

use super::{Checker, Code};

impl Checker<'_> {
    /// The default of `attribute`, of type `ty`, checked; `None` (with a problem recorded
    /// when one is written) otherwise.
    pub(super) fn attribute_default(
        &mut self,
        file: usize,
        attribute: &ast::Attribute,
        ty: &AttributeType,
    ) -> Option<AttributeDefault> {
        let default = attribute.default.as_ref()?;
        let written = self.file(file).slice(default.span).to_string();
        let value = match (ty, &default.node) {
            (AttributeType::Reference | AttributeType::List, _) => {
                self.problem(
                    file,
                    Code::InvalidDefault,
                    format!(
                        "`{}` is {}, which has no default",
                        attribute.name.node,
                        ty.describe()
                    ),
                    default.span,
                    "no default for weapon types",
                )
                .help = Some(
                    "remove `(default …)`: only a scenario can say which weapon types a holding refers to"
                        .to_string(),
                );
                return None;
            }
            (AttributeType::Boolean, DefaultValue::Literal(Literal::Boolean(b))) => {
                Scalar::Bool(*b)
            }
            (AttributeType::Integer, DefaultValue::Literal(Literal::Integer(text))) => {
                Scalar::Number(self.default_number(file, text, default)?)
            }
            (AttributeType::Date, DefaultValue::Literal(Literal::Date(text))) => {
                Scalar::Date(self.default_date(file, text, default)?)
            }
            (
                AttributeType::Quantity { unit },
                DefaultValue::Literal(Literal::Quantity {
                    number,
                    unit: written_unit,
                }),
            ) => {
                let Some(given) = model::unit(&written_unit.node) else {
                    let units: Vec<&str> = model::UNITS.iter().map(|u| u.symbol).collect();
                    self.problem(
                        file,
                        Code::UnknownName,
                        format!("unknown unit `{}`", written_unit.node),
                        written_unit.span,
                        "no unit of this name",
                    )
                    .help = did_you_mean(&written_unit.node, units.iter().copied())
                        .or_else(|| Some(format!("known units: {}", units.join(", "))));
                    return None;
                };
                if given.dimension != unit.dimension {
                    self.problem(
                        file,
                        Code::UnitMismatch,
                        format!(
                            "the default of `{}` is a {}, and the attribute is {}",
                            attribute.name.node,
                            given.dimension.as_str(),
                            ty.describe()
                        ),
                        default.span,
                        "measures something else",
                    )
                    .help = Some(format!("write the default in {}", unit.symbol));
                    return None;
                }
                Scalar::Number(self.default_number(file, number, default)? * given.factor)
            }
            (AttributeType::Enum { values }, value) => {
                // `yes` and `no` may name values of an enumeration too.
                let name = match value {
                    DefaultValue::Name(name) => name.as_str(),
                    DefaultValue::Literal(Literal::Boolean(_)) => written.as_str(),
                    DefaultValue::Literal(_) => return self.default_type(file, attribute, ty),
                };
                match values.iter().position(|v| v == name) {
                    Some(index) => Scalar::Enum(index),
                    None => {
                        self.problem(
                            file,
                            Code::UnknownName,
                            format!("`{name}` is not a value of `{}`", attribute.name.node),
                            default.span,
                            "not one of the values",
                        )
                        .help = did_you_mean(name, values.iter().map(String::as_str))
                            .or_else(|| Some(format!("the values are {}", values.join(", "))));
                        return None;
                    }
                }
            }
            _ => return self.default_type(file, attribute, ty),
        };
        Some(AttributeDefault { value, written })
    }

    /// A default of the wrong type.
    fn default_type(
        &mut self,
        file: usize,
        attribute: &ast::Attribute,
        ty: &AttributeType,
    ) -> Option<AttributeDefault> {
        let span = attribute
            .default
            .as_ref()
            .map_or(attribute.name.span, |d| d.span);
        let example = match ty {
            AttributeType::Boolean => "`(default no)`".to_string(),
            AttributeType::Integer => "`(default 1)`".to_string(),
            AttributeType::Date => "`(default 1979-06-18)`".to_string(),
            AttributeType::Quantity { unit } => format!("`(default 600 {})`", unit.symbol),
            AttributeType::Enum { values } => format!(
                "`(default {})`",
                values.first().map_or("VALUE", String::as_str)
            ),
            AttributeType::Reference | AttributeType::List => "no default".to_string(),
        };
        self.problem(
            file,
            Code::TypeMismatch,
            format!(
                "the default of `{}` must be {}",
                attribute.name.node,
                ty.describe()
            ),
            span,
            "not a value of this attribute",
        )
        .help = Some(format!("write it as {example}"));
        None
    }

    /// A whole number of an `integer` default, or the number of a quantity.
    fn default_number(
        &mut self,
        file: usize,
        text: &str,
        default: &Node<DefaultValue>,
    ) -> Option<f64> {
        match text.parse::<f64>() {
            Ok(value) if value.is_finite() && value <= 9_007_199_254_740_992.0 => Some(value),
            _ => {
                self.problem(
                    file,
                    Code::InvalidBound,
                    format!("`{text}` is too large a number"),
                    default.span,
                    "too large",
                );
                None
            }
        }
    }

    /// The date of a `date` default.
    fn default_date(
        &mut self,
        file: usize,
        text: &str,
        default: &Node<DefaultValue>,
    ) -> Option<Date> {
        self.date(file, &Node::new(text.to_string(), default.span))
    }
}
