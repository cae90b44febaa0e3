"""The touchpoint table loader: real exports in, clear errors out."""

import pytest

from cxmodels.core.errors import DataFileError
from cxmodels.models.touchpoint import load_touchpoints, rank_touchpoints

HEADER = "journey_stage,touchpoint,visits_per_day,buyer_share,spend_per_buyer,operating_days\n"


def write(tmp_path, text, name="touchpoints.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def error_lines(path) -> list[str]:
    with pytest.raises(DataFileError) as caught:
        load_touchpoints(path)
    return list(caught.value.problems)


def test_semicolon_decimal_comma_bom_export_reads_like_the_comma_version(tmp_path):
    comma = write(tmp_path, HEADER + "customership,Bus,520,0.125,20.5,360\n", "a.csv")
    excel = write(
        tmp_path,
        "\ufeff" + HEADER.replace(",", ";") + "customership;Bus;520;0,125;20,5;360\n",
        "b.csv",
    )
    a, b = rank_touchpoints(load_touchpoints(comma)), rank_touchpoints(load_touchpoints(excel))
    assert a["potential_per_year"].tolist() == b["potential_per_year"].tolist() == [479_700]


def test_bad_cell_names_file_row_column_value_and_range(tmp_path):
    path = write(tmp_path, HEADER + "a,Bus,520,0.125,20,360\n\nb,Desk,140,12.5,18,360\n")
    (line,) = error_lines(path)
    # The header is row 1, the bus row 2, a blank row 3, the desk row 4.
    assert line.startswith(f"{path}, row 4, column buyer_share: 12.5 is outside the allowed range 0 to 1")
    assert "did you mean 0.125 (12.5 %)?" in line


def test_text_in_a_number_column(tmp_path):
    (line,) = error_lines(write(tmp_path, HEADER + "a,Bus,many,0.1,20,360\n"))
    assert "row 2, column visits_per_day: 'many' is text where a number belongs" in line


def test_blank_cells_are_reported_not_taken_as_zero(tmp_path):
    lines = error_lines(write(tmp_path, HEADER + "a,,520,,20,360\n"))
    assert any("row 2, column touchpoint: is blank" in line for line in lines)
    assert any("row 2, column buyer_share" in line and "NaN" in line for line in lines)


def test_missing_column_suggests_the_near_miss(tmp_path):
    text = HEADER.replace("buyer_share", "buyers_share") + "a,Bus,520,0.1,20,360\n"
    (line,) = error_lines(write(tmp_path, text))
    assert "missing column `buyer_share`; did you mean `buyers_share`?" in line


def test_empty_file(tmp_path):
    (line,) = error_lines(write(tmp_path, "  \n"))
    assert "is empty" in line


def test_header_only(tmp_path):
    (line,) = error_lines(write(tmp_path, HEADER))
    assert "no data rows" in line


def test_not_a_text_file(tmp_path):
    path = tmp_path / "touchpoints.xlsx"
    path.write_bytes(b"PK\x03\x04\x00\x00binary")
    (line,) = error_lines(path)
    assert "is not a readable .xlsx workbook" in line and "CSV" in line
    path = path.rename(tmp_path / "touchpoints.csv")
    (line,) = error_lines(path)
    assert "is not a text file" in line and "CSV" in line


def test_missing_file(tmp_path):
    (line,) = error_lines(tmp_path / "nope.csv")
    assert "file not found" in line


def test_quoted_names_with_delimiters(tmp_path):
    path = write(tmp_path, HEADER + 'customership,"Café, while the car is serviced",180,0.2,12,300\n')
    assert load_touchpoints(path)["touchpoint"].iloc[0] == "Café, while the car is serviced"


def test_dotted_thousands_in_a_decimal_comma_export_are_thousands(tmp_path):
    """Issue 15, item 3: `2.400` in a semicolon export is 2,400, never 2.4."""
    plain = write(tmp_path, HEADER + "customership,Bus,2400,0.125,20.5,360\n", "a.csv")
    dotted = write(tmp_path, HEADER.replace(",", ";") + "customership;Bus;2.400;0,125;20,5;360\n", "b.csv")
    a, b = load_touchpoints(plain), load_touchpoints(dotted)
    assert b["visits_per_day"].tolist() == a["visits_per_day"].tolist() == [2400]


def test_dotted_thousands_with_decimal_comma(tmp_path):
    path = write(tmp_path, HEADER.replace(",", ";") + "customership;Bus;1.234.000;0,125;1.020,5;360\n")
    table = load_touchpoints(path)
    assert table["visits_per_day"].tolist() == [1_234_000]
    assert table["spend_per_buyer"].tolist() == [1020.5]


def test_dotted_group_beside_decimal_points_is_refused_not_guessed(tmp_path):
    path = write(tmp_path, HEADER.replace(",", ";")
                 + "a;Bus;520;0,125;2.400;360\nb;Desk;140;0,1;2.5;360\n")
    (line,) = error_lines(path)
    assert line.startswith(f"{path}, row 2, column spend_per_buyer: '2.400' could be 2400 (dotted thousands) or 2.400")


def test_a_byte_in_no_encoding_names_the_file_and_row(tmp_path):
    """Issue 25: byte 0x81 gave a UnicodeDecodeError naming no file."""
    path = tmp_path / "touchpoints.csv"
    path.write_bytes((HEADER + "a,Bus,520,0.125,20,360\n").encode() + b"b,Desk\x81,140,0.1,18,360\n")
    (line,) = error_lines(path)
    assert line.startswith(f"{path}, row 3: byte 0x81 is neither UTF-8 nor Windows-1252")


def test_a_touchpoint_given_twice_is_named_not_counted_twice(tmp_path):
    path = write(tmp_path, HEADER + "a,Bus,520,0.125,20,360\nb,Desk,140,0.1,18,360\na, bus ,520,0.125,20,360\n")
    (line,) = error_lines(path)
    assert line.startswith(f"{path}, rows 2, 4: the same touchpoint `a / Bus` is given 2 times")


def test_two_columns_of_the_same_name_are_named(tmp_path):
    """Issue 25: the first of two `buyer_share` columns was used without a word."""
    path = write(tmp_path, HEADER.rstrip("\n") + ",buyer_share\n" + "a,Bus,520,0.125,20,360,0.5\n")
    (line,) = error_lines(path)
    assert line == (f"{path}, columns D and G: both are named `buyer_share`; keep one of them "
                    "(or rename the other).")
