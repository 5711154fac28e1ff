//! Spreadsheets: the quarterly loop of docs/import.md.
//!
//! - [`template`]: the data-collection sheet for a period (XLSX or CSV);
//! - [`import`]: figures from a sheet (CSV, XLSX, XLS, ODS) written into
//!   the scorecard's files, losslessly ([`edit`]) and as one change
//!   ([`commit`]);
//! - [`xlsx_report`]: the rated report as a workbook.
//!
//! Reading a sheet: [`csv_read`] and [`book_read`] make a [`grid::Grid`];
//! [`layout`] finds the table in it; [`values`] and [`spelling`] read its
//! figures and periods; [`plan`] matches them with the scorecard. Binary
//! floating point exists only in [`float`].

pub mod book_read;
pub mod commit;
pub mod csv_read;
pub mod edit;
pub mod float;
pub mod grid;
pub mod import;
pub mod layout;
pub mod plan;
pub mod spelling;
pub mod template;
pub mod values;
pub mod xlsx_report;
