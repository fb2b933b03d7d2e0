//! The demo organ (江北职业技术学院 党政办公室); placeholder until the loader lands.

use crate::{Services, ServiceError, ServiceResult};

pub struct DemoLogin {
    pub login: String,
    pub name: String,
    pub what: String,
}

pub struct DemoReport {
    pub password: String,
    pub logins: Vec<DemoLogin>,
}

pub async fn load(_s: &Services) -> ServiceResult<DemoReport> {
    Err(ServiceError::Conflict("demo data not available".into()))
}

pub async fn is_loaded(s: &Services) -> ServiceResult<bool> {
    Ok(crate::org::organ(s).await?.is_some())
}
