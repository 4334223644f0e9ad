"""A fixed circular context for the document tests: the first quarter of 2025 in a county bureau
of five units, with a unit name and a title that carry markup and template syntax, which every
output must show literally."""

from __future__ import annotations

TRICKY_UNIT = "<b>信息</b>&中心{{ 1+1 }}"
TRICKY_TITLE = "{% raw %}关于“<b>耕地保护</b>”&执法{{ x }}的做法{% endraw %}"

UNITS = (
    # unit, sent, adopted, adopt rate, points, ytd points, submit rate, adopt rate of year
    ("城关国土资源所", "18", "9", "50.0%", "31.5", "31.5", "30.0%", "37.5%"),
    ("执法监察大队", "15", "6", "40.0%", "22", "22", "25.0%", "25.0%"),
    ("办公室", "12", "5", "41.7%", "18.5", "18.5", "24.0%", "25.0%"),
    (TRICKY_UNIT, "9", "3", "33.3%", "9", "9", "18.0%", "15.0%"),
    ("土地利用股", "4", "0", "0.0%", "0", "0", "8.0%", "0.0%"),
)


def context() -> dict:
    """The circular's context, as pipeline/documents/circular.py hands it to documents.render."""
    ranking = [
        {
            "rank": str(index),
            "unit": unit,
            "sent": sent,
            "adopted": adopted,
            "adopt_rate": rate,
            "points": points,
            "points_ytd": ytd,
            "submit_rate": submit,
            "adopt_year_rate": adopt_year,
        }
        for index, (unit, sent, adopted, rate, points, ytd, submit, adopt_year) in enumerate(UNITS, start=1)
    ]
    return {
        "issuer": "示范县国土资源局办公室",
        "number": "示国土办〔2025〕1号",
        "title": "关于2025年第一季度信息宣传工作情况的通报",
        "period": "2025年第一季度",
        "recipients": "各股室、所、中心、大队：",
        "intro": "为进一步做好信息宣传工作，根据《示范县国土资源局信息宣传工作考核办法》，现将2025年第一季度各单位信息宣传工作情况通报如下。",
        "overview": [
            "2025年第一季度，全局共报送信息58条，被各级采用23条，采发率39.7%。其中国家级采用1条，省级采用3条，市级采用7条，县级采用12条。",
            "与上季度相比，报送数增加6条，采用数增加4条；与去年同期相比，报送数增加11条，采用数增加5条。",
        ],
        "ranking_intro": "各单位报送和采用情况如下表（按累计得分排名）：",
        "ranking": ranking,
        "ranking_note": "注：采用率=本期采用数÷本期报送数；报送完成率、采用完成率按年度任务计算。",
        "chart": {
            "title": "各单位累计得分",
            "labels": [u[0] for u in UNITS],
            "values": [31.5, 22.0, 18.5, 9.0, 0.0],
        },
        "praise": [
            {
                "heading": "（一）先进单位",
                "paragraphs": ["城关国土资源所、执法监察大队报送及时、稿件质量较高，采用数居全局前列，予以通报表扬。"],
            },
            {
                "heading": "（二）优秀稿件",
                "paragraphs": [f"{TRICKY_UNIT}报送的《{TRICKY_TITLE}》被省级媒体采用。"],
            },
        ],
        "problems": [
            {
                "heading": "（一）部分单位进度滞后",
                "paragraphs": [
                    "时间已过四分之一，土地利用股报送完成率仅为8.0%，本季度无稿件被采用，请于2025年4月15日前补报。"
                ],
            },
        ],
        "next_steps": [
            {"lead": "（一）加大报送力度。", "text": "截至3月底有1个单位进度滞后，要在今后9个月内迎头赶上。"},
            {"lead": "（二）按时报送报表。", "text": "各单位要在次月5日前报送信息宣传工作报送表。"},
        ],
        "signature": "示范县国土资源局办公室",
        "date": "2025年4月3日",
        "contact": "（联系人：王晓燕，联系电话：0539-3221001）",
        "cc": "局领导班子成员",
        "printer": "示范县国土资源局办公室",
        "print_date": "2025年4月3日印发",
        "annex1_note": "",
        "annex1_grouped": False,
        "annex2_note": "",
        "hidden_columns": [],
        "annex1_title": "得分情况统计表",
        "annex1": [
            {
                "unit": unit,
                "sent": sent,
                "adopted": adopted,
                "adoptions": adopted,
                "points": points,
                "sent_ytd": sent,
                "adopted_ytd": adopted,
                "points_ytd": ytd,
                "deductions": "0" if index < 5 else "2",
                "submit_rate": submit,
                "adopt_rate": adopt_year,
                "points_rate": submit,
                "progress": "正常" if index < 4 else "滞后",
                "rank": str(index),
                "on_time": "是" if index < 5 else "否",
            }
            for index, (unit, sent, adopted, _rate, points, ytd, submit, adopt_year) in enumerate(UNITS, start=1)
        ],
        "annex2_title": "采用稿件目录",
        "annex2": [
            {
                "no": str(number),
                "title": title,
                "unit": unit,
                "authors": authors,
                "outlet": outlet,
                "level": level,
                "date": date,
            }
            for number, (title, unit, authors, outlet, level, date) in enumerate(ADOPTED, start=1)
        ],
    }


ADOPTED = (
    ("我县扎实推进耕地保护田长制", "城关国土资源所", "王小明、李娜", "《中国自然资源报》", "国家级", "2025年3月12日"),
    ("示范县开展土地卫片执法专项行动", "执法监察大队", "张伟", "省自然资源厅网站", "省级", "2025年2月20日"),
    (TRICKY_TITLE, TRICKY_UNIT, "赵敏", "《省国土资源》", "省级", "2025年3月5日"),
    ("城关所“放管服”改革提速不动产登记", "城关国土资源所", "王小明", "市政务信息", "市级", "2025年1月23日"),
    ("县局召开2025年信息宣传工作会议", "办公室", "陈静", "示范县人民政府网", "县级", "2025年1月10日"),
)
