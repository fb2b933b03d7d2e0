//! The OpenAPI document as served: the derived `ApiDoc` plus the error answers any operation
//! can give. Those come from the one error mapping (`error.rs`) and the extractors, not from
//! each handler, so they are added here for every operation instead of being listed by hand
//! (a list someone forgets on a new route tells clients a status cannot happen when it can).

use utoipa::openapi::link::LinkBuilder;
use utoipa::openapi::path::Operation;
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr};

/// Any operation: bad query or path, no or bad token, not allowed, a label failing its
/// integrity check, database away, disk full.
const EVERY: [(&str, &str); 6] = [
    ("400", "A parameter is malformed; `field` names it."),
    ("401", "No valid API token."),
    ("403", "The token's person may not do this."),
    ("500", "An object's security label failed its integrity check (`label_integrity`); recorded."),
    ("503", "The service is unavailable (database unreachable); retry later."),
    ("507", "The server's storage is full; nothing was stored."),
];
/// Operations on one object: it does not exist or is not visible to this person.
const ON_AN_OBJECT: [(&str, &str); 1] = [("404", "No such object, or not visible to this person.")];
/// Operations that change something: another change came first.
const WRITES: [(&str, &str); 1] = [("409", "The object changed meanwhile or is in the wrong state.")];
/// Operations that create an object: the answer's status and where the new object's id is
/// in its body (a JSON pointer). Every operation on `{path}/{id}…` gets an OpenAPI link from
/// that answer, so a client (and schemathesis's stateful phase, T12) follows the new object
/// instead of guessing ids that mostly do not exist.
const CREATES: [(&str, &str, &str); 3] = [
    ("/api/v1/incoming", "201", "/document/id"),
    ("/api/v1/leader-tasks", "201", "/id"),
    ("/api/v1/outgoing", "201", "/document/id"),
];
/// Operations with a request body: too large, wrong type, or values the rules refuse.
const WITH_BODY: [(&str, &str); 3] = [
    ("413", "The request body is too large."),
    ("415", "The request body's Content-Type is not the documented one."),
    ("422", "A value breaks a rule; `field` names it."),
];

pub fn document() -> OpenApi {
    let mut doc = <super::ApiDoc as utoipa::OpenApi>::openapi();
    for (path, item) in doc.paths.paths.iter_mut() {
        let on_object = path.contains('{');
        let reads = [(&mut item.get, false)];
        let writes = [(&mut item.post, true), (&mut item.put, true), (&mut item.patch, true), (&mut item.delete, true)];
        for (op, write) in reads.into_iter().chain(writes) {
            if let Some(op) = op.as_mut() {
                add_errors(op, on_object, write);
            }
        }
    }
    for (base, status, pointer) in CREATES {
        add_links(&mut doc, base, status, pointer);
    }
    doc
}

fn add_links(doc: &mut OpenApi, base: &str, status: &str, pointer: &str) {
    let object = format!("{base}/{{id}}");
    let on_object = |p: &str| p == object || p.starts_with(&format!("{object}/"));
    let targets: Vec<String> = doc
        .paths
        .paths
        .iter()
        .filter(|(p, _)| on_object(p))
        .flat_map(|(_, item)| [&item.get, &item.post])
        .filter_map(|op| op.as_ref().and_then(|op| op.operation_id.clone()))
        .collect();
    let answer = doc.paths.paths.get_mut(base).and_then(|item| item.post.as_mut());
    let Some(RefOr::T(answer)) = answer.and_then(|op| op.responses.responses.get_mut(status)) else {
        return;
    };
    for target in targets {
        let link = LinkBuilder::new().operation_id(target.clone()).parameter("id", format!("$response.body#{pointer}"));
        answer.links.insert(target, RefOr::T(link.build()));
    }
}

fn add_errors(op: &mut Operation, on_object: bool, write: bool) {
    let body = op.request_body.is_some();
    let codes = EVERY
        .iter()
        .chain(ON_AN_OBJECT.iter().filter(|_| on_object))
        .chain(WRITES.iter().filter(|_| write))
        .chain(WITH_BODY.iter().filter(|_| body));
    for (code, description) in codes {
        op.responses.responses.entry((*code).to_string()).or_insert_with(|| {
            let content = ContentBuilder::new().schema(Some(Ref::from_schema_name("ApiError"))).build();
            RefOr::T(ResponseBuilder::new().description(*description).content("application/json", content).build())
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_has_its_own_id() {
        // Links name their target by operationId, and the specification requires them unique
        // (handlers in different modules were all called `get`, `list`, `act`).
        let mut seen = std::collections::BTreeMap::new();
        for (path, item) in &document().paths.paths {
            for op in [&item.get, &item.post].into_iter().flatten() {
                let id = op.operation_id.clone().unwrap_or_default();
                assert!(!id.is_empty(), "{path}: no operationId");
                if let Some(other) = seen.insert(id.clone(), path.clone()) {
                    panic!("operationId {id} on both {other} and {path}");
                }
            }
        }
        assert!(seen.len() >= 50, "{}", seen.len());
    }

    #[test]
    fn a_created_object_links_to_every_operation_on_it() {
        let doc = document();
        let json = serde_json::to_value(&doc).unwrap();
        for (base, status, pointer) in CREATES {
            let links = &json["paths"][base]["post"]["responses"][status]["links"];
            let links = links.as_object().unwrap_or_else(|| panic!("{base}: no links"));
            let on_object: Vec<_> =
                doc.paths.paths.keys().filter(|p| p.starts_with(&format!("{base}/{{id}}"))).collect();
            assert!(links.len() >= on_object.len(), "{base}: {} links for {on_object:?}", links.len());
            for (name, link) in links {
                assert_eq!(link["operationId"], name.as_str(), "{base}");
                assert_eq!(link["parameters"]["id"], format!("$response.body#{pointer}"), "{base}");
            }
            // The pointer names a field the answer's schema has.
            let schema = &json["paths"][base]["post"]["responses"][status]["content"]["application/json"]["schema"];
            let name = schema["$ref"].as_str().and_then(|r| r.rsplit('/').next()).expect("a named answer");
            let mut at = &json["components"]["schemas"][name];
            for part in pointer.trim_start_matches('/').split('/') {
                let field = &at["properties"][part];
                at = match field["$ref"].as_str().and_then(|r| r.rsplit('/').next()) {
                    Some(n) => &json["components"]["schemas"][n],
                    None => field,
                };
                assert!(!at.is_null(), "{base}: {pointer} is not in {name}");
            }
        }
    }

    #[test]
    fn every_operation_documents_the_shared_errors() {
        let doc = document();
        let mut checked = 0;
        for (path, item) in &doc.paths.paths {
            for (op, write) in [(&item.get, false), (&item.post, true)] {
                let Some(op) = op else { continue };
                let has = |c: &str| op.responses.responses.contains_key(c);
                assert!(EVERY.iter().all(|(c, _)| has(c)), "{path}");
                if path.contains('{') {
                    assert!(has("404"), "{path}: an object may be missing");
                }
                if write {
                    assert!(has("409"), "{path}");
                }
                if op.request_body.is_some() {
                    assert!(["413", "415", "422"].iter().all(|c| has(c)), "{path}");
                }
                checked += 1;
            }
        }
        assert!(checked > 25, "the document lists the API ({checked} operations)");
    }
}
