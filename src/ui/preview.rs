//! The on-screen receipt preview: a [`Document`] drawn on a white strip the width of the
//! paper, from the same blocks the printer gets (big and bold lines, rules, the QR code drawn
//! from its modules).

use egui::{Color32, RichText, Sense, Stroke, vec2};

use crate::app::document::{Align, Block, Document};

const CHAR_WIDTH: f32 = 7.9;
const FONT: f32 = 13.0;

/// Draws `doc` as printed paper.
pub fn document_ui(ui: &mut egui::Ui, doc: &Document) {
    let paper = CHAR_WIDTH * doc.width as f32;
    egui::Frame::new()
        .fill(Color32::WHITE)
        .stroke(Stroke::new(1.0, Color32::from_gray(180)))
        .inner_margin(12.0)
        .show(ui, |ui| {
            ui.set_min_width(paper);
            ui.set_max_width(paper);
            ui.spacing_mut().item_spacing.y = 1.0;
            for block in &doc.blocks {
                match block {
                    Block::Text {
                        text,
                        align,
                        bold,
                        big,
                    } => {
                        let mut rt = RichText::new(text)
                            .monospace()
                            .size(if *big { FONT * 1.8 } else { FONT })
                            .color(Color32::BLACK);
                        if *bold || *big {
                            rt = rt.strong();
                        }
                        match align {
                            Align::Left => {
                                ui.label(rt);
                            }
                            Align::Center => {
                                ui.vertical_centered(|ui| ui.label(rt));
                            }
                        }
                    }
                    Block::Rule => {
                        let (rect, _) = ui.allocate_exact_size(vec2(paper, 9.0), Sense::hover());
                        ui.painter().hline(
                            rect.x_range(),
                            rect.center().y,
                            Stroke::new(1.0, Color32::from_gray(90)),
                        );
                    }
                    Block::Qr(data) => {
                        ui.vertical_centered(|ui| qr_ui(ui, data));
                    }
                }
            }
        });
}

fn qr_ui(ui: &mut egui::Ui, data: &str) {
    let Ok(code) = qrcode::QrCode::new(data.as_bytes()) else {
        ui.label(RichText::new(format!("[QR: {data}]")).color(Color32::BLACK));
        return;
    };
    let n = code.width();
    let cell = 3.0;
    let quiet = 4.0 * cell;
    let side = n as f32 * cell + 2.0 * quiet;
    let (rect, response) = ui.allocate_exact_size(vec2(side, side), Sense::hover());
    response.on_hover_text(data);
    let painter = ui.painter();
    painter.rect_filled(rect, 0.0, Color32::WHITE);
    for (i, c) in code.to_colors().iter().enumerate() {
        if *c == qrcode::Color::Dark {
            let (x, y) = ((i % n) as f32, (i / n) as f32);
            let min = rect.min + vec2(quiet + x * cell, quiet + y * cell);
            painter.rect_filled(
                egui::Rect::from_min_size(min, vec2(cell, cell)),
                0.0,
                Color32::BLACK,
            );
        }
    }
}
