//! The seal impression (印模) drawn as SVG: a red ring, a five-pointed star in the centre and
//! the name around the upper arc read left to right, as official seals are cut
//! (国发〔1999〕25号). The same drawing is shown in the registry, carried as the picture of an
//! electronic seal (GB/T 38540 SES_ESPictureInfo) and placed on sealed documents.

use std::fmt::Write;

/// The impression of a round seal `diameter_mm` across with `name` around the top.
/// Coordinates are millimetres, so the image prints at the seal's real size.
pub fn svg(name: &str, diameter_mm: i64) -> String {
    let d = diameter_mm.clamp(10, 60) as f64;
    let c = d / 2.0;
    let ring = d * 0.028;
    let chars: Vec<char> = name.chars().filter(|ch| !ch.is_control() && !ch.is_whitespace()).take(24).collect();
    let n = chars.len().max(1) as f64;
    // Longer names get a wider arc and smaller characters, as engravers do.
    let span = (150.0 + n * 8.0).min(250.0);
    let font = (d * 0.17).min(d * 2.4 / n.max(6.0)).max(d * 0.08);
    let r = c - ring - font * 0.72;
    let mut out = String::new();
    let _ =
        write!(out, r##"<svg xmlns="http://www.w3.org/2000/svg" width="{d}mm" height="{d}mm" viewBox="0 0 {d} {d}">"##);
    let _ = write!(
        out,
        r##"<circle cx="{c}" cy="{c}" r="{:.3}" fill="none" stroke="#d7000f" stroke-width="{ring:.3}"/>"##,
        c - ring / 2.0
    );
    out.push_str(&star(c, c, d * 0.19));
    for (i, ch) in chars.iter().enumerate() {
        let theta = if chars.len() == 1 { 90.0 } else { 90.0 + span / 2.0 - span * i as f64 / (n - 1.0) };
        let rad = theta.to_radians();
        let (x, y) = (c + r * rad.cos(), c - r * rad.sin());
        let _ = write!(
            out,
            r##"<text x="{x:.3}" y="{y:.3}" font-size="{font:.3}" fill="#d7000f" text-anchor="middle" dominant-baseline="central" font-family="FandolSong, 'Noto Serif CJK SC', SimSun, serif" font-weight="bold" transform="rotate({:.2} {x:.3} {y:.3})">{}</text>"##,
            90.0 - theta,
            escape(*ch)
        );
    }
    out.push_str("</svg>");
    out
}

/// A filled five-pointed star centred at (cx, cy) with outer radius `r`, one point up.
fn star(cx: f64, cy: f64, r: f64) -> String {
    let inner = r * 0.382;
    let mut points = String::new();
    for k in 0..10 {
        let radius = if k % 2 == 0 { r } else { inner };
        let a = (90.0 + 36.0 * k as f64).to_radians();
        let _ = write!(points, "{:.3},{:.3} ", cx + radius * a.cos(), cy - radius * a.sin());
    }
    format!(r##"<polygon points="{}" fill="#d7000f"/>"##, points.trim_end())
}

fn escape(ch: char) -> String {
    match ch {
        '<' => "&lt;".into(),
        '>' => "&gt;".into(),
        '&' => "&amp;".into(),
        '"' => "&quot;".into(),
        '\'' => "&#39;".into(),
        c => c.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_every_character_of_the_name_once_in_red() {
        let s = svg("江北职业技术学院党政办公室", 42);
        assert!(s.starts_with("<svg") && s.ends_with("</svg>"));
        assert_eq!(s.matches("<text").count(), 13);
        assert!(s.contains(r#"width="42mm""#));
        assert!(s.contains("<polygon"));
        assert!(!s.contains("#000"));
    }

    #[test]
    fn markup_in_a_name_is_escaped() {
        let s = svg("<script>&", 40);
        assert!(!s.contains("<script>"));
        assert!(s.contains("&lt;") && s.contains("&amp;"));
    }

    #[test]
    fn the_first_character_is_on_the_left_and_the_last_on_the_right() {
        let s = svg("甲乙", 40);
        let xs: Vec<f64> = s
            .match_indices("<text x=\"")
            .map(|(i, m)| s[i + m.len()..].split('"').next().unwrap().parse().unwrap())
            .collect();
        assert!(xs[0] < 20.0 && xs[1] > 20.0, "{xs:?}");
    }

    #[test]
    fn a_silly_diameter_is_clamped() {
        assert!(svg("章", 1000).contains(r#"width="60mm""#));
    }
}
