//! The password, lockout and session policies, edited by the security administrator.

use super::{PolicyField, policy_fields, whole_number};
use crate::AppState;
use crate::ctx::{Ctx, User};
use crate::error::{AppError, AppResult};
use crate::pages::render;
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{Redirect, Response};
use mishu_domain::password::PasswordPolicy;
use mishu_service::audit::Origin;
use mishu_service::settings::{self, SessionPolicy};
use std::collections::HashMap;

#[derive(Template)]
#[template(path = "security/policies.html")]
struct PoliciesPage<'a> {
    ctx: &'a Ctx,
    password: Vec<PolicyField>,
    session: Vec<PolicyField>,
}

pub async fn page(State(st): State<AppState>, user: User) -> AppResult<Response> {
    let db = &st.services.db;
    let pw = settings::password_policy(db).await.map_err(mishu_service::ServiceError::from)?;
    let sess = settings::session_policy(db).await.map_err(mishu_service::ServiceError::from)?;
    Ok(render(&PoliciesPage {
        ctx: &user.ctx,
        password: policy_fields(PasswordPolicy::RANGES, pw.values()),
        session: policy_fields(SessionPolicy::RANGES, sess.values()),
    }))
}

type Fields = HashMap<String, String>;

fn read_password_policy(f: &Fields) -> AppResult<PasswordPolicy> {
    let n = |field: &'static str| whole_number(field, f.get(field));
    let out_of_type = |field: &'static str| AppError::BadRequest { field, message: "out of range".into() };
    Ok(PasswordPolicy {
        min_length: usize::try_from(n("min_length")?).map_err(|_| out_of_type("min_length"))?,
        min_classes: u8::try_from(n("min_classes")?).map_err(|_| out_of_type("min_classes"))?,
        max_age_days: n("max_age_days")?,
        lockout_threshold: n("lockout_threshold")?,
        lockout_window_minutes: n("lockout_window_minutes")?,
        lockout_minutes: n("lockout_minutes")?,
    })
}

pub async fn save_password(State(st): State<AppState>, user: User, Form(f): Form<Fields>) -> AppResult<Redirect> {
    let policy = read_password_policy(&f)?;
    settings::set_password_policy(&st.services, &Origin::of(&user.actor, &user.ctx.source_ip), &policy).await?;
    Ok(Redirect::to("/admin/security/policies"))
}

pub async fn save_session(State(st): State<AppState>, user: User, Form(f): Form<Fields>) -> AppResult<Redirect> {
    let n = |field: &'static str| whole_number(field, f.get(field));
    let policy = SessionPolicy {
        idle_minutes: n("idle_minutes")?,
        admin_idle_minutes: n("admin_idle_minutes")?,
        absolute_hours: n("absolute_hours")?,
    };
    settings::set_session_policy(&st.services, &Origin::of(&user.actor, &user.ctx.source_ip), &policy).await?;
    Ok(Redirect::to("/admin/security/policies"))
}
