//! The bench corpus: titles and 拟办意见 of received documents built from a fixed vocabulary
//! of two-character words of Chinese official writing, drawn with Zipf frequencies from the
//! seed (performance.md D3), and the fixed search term set taken from that vocabulary at
//! ranks spread from common to rare, so search and `LIKE` are compared on the same words.

use rand::Rng;
use rand::rngs::StdRng;

/// Two-character words, most frequent first (rank = position).
const WORDS: &[&str] = &[
    "工作", "学院", "管理", "建设", "发展", "教学", "安全", "学生", "落实", "要求", "组织", "制度", "服务", "项目",
    "检查", "培训", "质量", "部门", "计划", "专业", "会议", "保障", "推进", "加强", "完善", "开展", "评估", "考核",
    "资金", "预算", "招生", "就业", "科研", "创新", "改革", "规划", "监督", "审计", "财务", "资产", "采购", "合同",
    "后勤", "宿舍", "食堂", "消防", "疫情", "防控", "应急", "值班", "节日", "假期", "考试", "课程", "教材", "实训",
    "基地", "校企", "合作", "实习", "岗位", "人才", "引进", "职称", "评审", "聘任", "绩效", "工资", "社保", "医疗",
    "党建", "宣传", "思想", "政治", "理论", "学习", "纪律", "廉洁", "作风", "整改", "巡察", "信访", "维稳", "舆情",
    "档案", "保密", "印章", "文件", "公文", "信息", "网络", "数据", "平台", "系统", "设备", "维修", "改造", "工程",
    "验收", "招标", "投标", "土地", "房屋", "图书", "期刊", "论文", "成果", "奖励", "表彰", "先进", "典型", "经验",
    "交流", "调研", "报告", "统计", "年度", "季度", "月度", "总结", "方案", "细则", "办法", "通知", "意见", "决定",
    "请示", "批复", "函件", "纪要", "简报", "公示", "公告", "名单", "申报", "备案", "审批", "许可", "登记", "注册",
    "国际", "留学", "外事", "港澳", "台湾", "校友", "基金", "捐赠", "社团", "志愿", "文明", "卫生", "健康", "心理",
    "资助", "助学", "贷款", "减免", "补助", "奖学", "体育", "艺术", "竞赛", "技能", "证书", "鉴定", "继续", "教育",
    "成人", "函授", "远程", "开放", "社区", "乡村", "振兴", "帮扶", "对口", "援建", "协作", "联盟", "集团", "产业",
    "园区", "孵化", "创业", "导师", "团队", "梯队", "骨干", "青年", "教师", "辅导", "班级", "宿管", "门禁", "车辆",
];

/// Ranks of the search term set: common (in about a third of the documents) to rare (1 %).
const TERM_RANKS: &[usize] = &[5, 12, 30, 60, 120, 190];

/// The fixed term set for search, `LIKE` and recall.
pub fn terms() -> Vec<&'static str> {
    TERM_RANKS.iter().map(|&r| WORDS[r.min(WORDS.len() - 1)]).collect()
}

/// Draws words with probability ∝ 1 / (rank + 1).
pub struct Zipf {
    cumulative: Vec<f64>,
}

impl Zipf {
    pub fn new() -> Zipf {
        let mut sum = 0.0;
        let cumulative = (0..WORDS.len())
            .map(|r| {
                sum += 1.0 / (r as f64 + 1.0);
                sum
            })
            .collect();
        Zipf { cumulative }
    }

    pub fn word(&self, rng: &mut StdRng) -> &'static str {
        let total = *self.cumulative.last().unwrap_or(&1.0);
        let x = rng.gen_range(0.0..total);
        WORDS[self.cumulative.partition_point(|c| *c <= x).min(WORDS.len() - 1)]
    }

    /// `关于…的通知`, two or three drawn words in it.
    pub fn title(&self, rng: &mut StdRng, kind: &str) -> String {
        let n = rng.gen_range(2..=3);
        let words: String = (0..n).map(|_| self.word(rng)).collect();
        format!("关于{words}工作的{kind}")
    }

    /// A 拟办意见 of three sentences of drawn words (about ten words in all).
    pub fn proposal(&self, rng: &mut StdRng) -> String {
        let mut out = String::from("拟请");
        for sentence in 0..3 {
            let n = rng.gen_range(2..=4);
            for i in 0..n {
                out.push_str(self.word(rng));
                out.push(if i + 1 < n { '、' } else { '，' });
            }
            out.push_str(["阅处", "研究办理", "按要求落实"][sentence]);
            out.push('。');
        }
        out
    }
}

/// `%`-encodes a query-string value (UTF-8 bytes), for the search requests.
pub fn url_encode(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn terms_are_two_characters_and_distinct() {
        let t = terms();
        assert!(t.iter().all(|w| w.chars().count() == 2), "{t:?}");
        let mut d = t.clone();
        d.sort();
        d.dedup();
        assert_eq!(d.len(), t.len());
    }

    #[test]
    fn the_same_seed_gives_the_same_corpus_and_common_words_come_first() {
        let z = Zipf::new();
        let (mut a, mut b) = (StdRng::seed_from_u64(3), StdRng::seed_from_u64(3));
        assert_eq!(z.title(&mut a, "通知"), z.title(&mut b, "通知"));
        let mut rng = StdRng::seed_from_u64(1);
        let draws: Vec<&str> = (0..20_000).map(|_| z.word(&mut rng)).collect();
        let count = |w: &str| draws.iter().filter(|d| **d == w).count();
        assert!(count(WORDS[0]) > 5 * count(WORDS[60]).max(1));
    }

    #[test]
    fn encodes_chinese_for_a_query_string() {
        assert_eq!(url_encode("工作 a"), "%E5%B7%A5%E4%BD%9C%20a");
    }
}
