//! The demo organ (江北职业技术学院 党政办公室); filled in below.
