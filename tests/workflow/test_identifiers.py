from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from workflow.identifiers import (
    CREDIT_CODE_ALPHABET,
    CREDIT_CODE_WEIGHTS,
    RESIDENT_ID_WEIGHTS,
    birth_date_from_resident_id,
    credit_code_check_char,
    mask_resident_id,
    normalize_credit_code,
    normalize_resident_id,
    resident_id_check_char,
    validate_credit_code,
    validate_resident_id,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")

CHECKSUM_MESSAGE = "The check digit does not match: this number is mistyped or forged."


def _rejection(validator, value) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        validator(value)
    return caught.value


def _resident(first17: str) -> str:
    """A number with the right check character, so a test can fail it for one reason only."""
    return first17 + resident_id_check_char(first17)


def _credit(first17: str) -> str:
    return first17 + credit_code_check_char(first17)


# --- Resident identity card numbers ---------------------------------------------------------


def test_the_resident_id_weights_are_powers_of_two_mod_11():
    # ISO 7064 MOD 11-2: the weight of position i (1-based, of 18) is 2**(18 - i) mod 11.
    assert tuple(2 ** (18 - i) % 11 for i in range(1, 18)) == RESIDENT_ID_WEIGHTS


@pytest.mark.parametrize(
    "number",
    [
        "11010519491231002X",  # GB 11643-1999 example: 北京市朝阳区, check character X
        "440524188001010014",  # GB 11643-1999 example: 广东省汕头市潮阳县, born 1880-01-01
    ],
)
def test_the_standards_examples_have_the_check_character_printed_in_it(number):
    assert resident_id_check_char(number[:17]) == number[-1]


@pytest.mark.parametrize(
    "number",
    [
        "11010519491231002X",  # GB 11643-1999 example, check character X
        "310104190001011232",  # born 1900-01-01, the earliest date accepted
        "510102200002294562",  # born 2000-02-29, a leap day
        "650102202601020010",  # check character 0
    ],
)
def test_a_valid_resident_id_is_accepted(number):
    validate_resident_id(number)


def test_the_standards_1880_example_is_rejected_for_its_birth_date_not_its_check_character():
    # 440524188001010014 is arithmetically right, but nobody born in 1880 applies for a licence;
    # the portal only accepts birth dates from 1900 on.
    error = _rejection(validate_resident_id, "440524188001010014")
    assert error.code == "birth_date_too_early"


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("11010519491231002x", "11010519491231002X"),  # lowercase x
        ("  11010519491231002X  ", "11010519491231002X"),  # surrounding spaces
        ("\t11010519491231002x\n", "11010519491231002X"),  # pasted from a spreadsheet cell
        ("１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X"),  # full-width input method
        ("\u300011010519491231002X\u3000", "11010519491231002X"),  # ideographic spaces
    ],
)
def test_a_resident_id_is_normalised_and_then_accepted(raw, normalised):
    assert normalize_resident_id(raw) == normalised
    validate_resident_id(raw)


@pytest.mark.parametrize(
    ("value", "code", "message"),
    [
        ("", "length", "The number must have 18 characters, not 0."),
        ("1101051949123100", "length", "The number must have 18 characters, not 16."),
        ("11010519491231002", "length", "The number must have 18 characters, not 17."),
        ("11010519491231002X1", "length", "The number must have 18 characters, not 19."),
        (
            "110105491231002",
            "old_format",
            "This is an old 15-digit number. Only the 18-digit number is accepted: it is "
            "printed on every identity card issued since 1999.",
        ),
        (
            "11010519491231A02X",
            "invalid_character",
            "The character “A” at position 15 is not allowed: "
            "the number has only digits, and X as the last character.",
        ),
        (
            "1101X519491231002X",
            "invalid_character",
            "The character “X” at position 5 is not allowed: X may only be the last character.",
        ),
        (
            "110105 9491231002X",
            "invalid_character",
            "There is a space at position 7.",
        ),
        (
            "11010519491231002Y",
            "invalid_character",
            "The character “Y” at position 18 is not allowed: the last character is a digit or X.",
        ),
        (
            "11010519491231002\u0425",  # Cyrillic capital Ha, looks exactly like X
            "invalid_character",
            "The character “Х (U+0425)” at position 18 is not allowed: "
            "the last character is a digit or X.",
        ),
        (
            "11010519491231\u200b02X",  # a zero-width space pasted in
            "invalid_character",
            "The character “U+200B” at position 15 is not allowed: "
            "the number has only digits, and X as the last character.",
        ),
        (
            _resident("01010519491231002"),
            "division",
            "The number starts with an invalid division code: the first digit must be 1 to 8, "
            "not 0.",
        ),
        (
            _resident("91010519491231002"),
            "division",
            "The number starts with an invalid division code: the first digit must be 1 to 8, "
            "not 9.",
        ),
        (
            _resident("11010519990230002"),  # 30 February
            "birth_date",
            "The birth date in the number, 1999-02-30, is not a real calendar date.",
        ),
        (
            _resident("11010520230229002"),  # 2023 is not a leap year
            "birth_date",
            "The birth date in the number, 2023-02-29, is not a real calendar date.",
        ),
        (
            _resident("11010519000229002"),  # 1900 is not a leap year (divisible by 100)
            "birth_date",
            "The birth date in the number, 1900-02-29, is not a real calendar date.",
        ),
        (
            _resident("11010519491331002"),  # month 13
            "birth_date",
            "The birth date in the number, 1949-13-31, is not a real calendar date.",
        ),
        (
            _resident("11010519491200002"),  # day 0
            "birth_date",
            "The birth date in the number, 1949-12-00, is not a real calendar date.",
        ),
        (
            _resident("11010518991231002"),
            "birth_date_too_early",
            "The birth date in the number, 1899-12-31, is before 1900-01-01.",
        ),
        ("110105194912310021", "checksum", CHECKSUM_MESSAGE),  # check character changed
        ("11010519491231003X", "checksum", CHECKSUM_MESSAGE),  # sequence digit changed
        ("11010519491213002X", "checksum", CHECKSUM_MESSAGE),  # day digits swapped
    ],
)
def test_an_invalid_resident_id_is_rejected_with_a_message_naming_the_mistake(value, code, message):
    error = _rejection(validate_resident_id, value)
    assert error.code == code
    assert error.messages == [message]


@pytest.mark.parametrize(
    "value",
    [
        "110105194912310021",
        "11010519491231003X",
        _resident("11010519990230002"),
        _resident("01010519491231002"),
        "11010519491231A02X",
    ],
)
def test_a_rejection_never_repeats_the_number(value):
    error = _rejection(validate_resident_id, value)
    assert value not in error.messages[0]
    assert value[:17] not in error.messages[0]


def test_every_single_digit_change_of_a_valid_resident_id_is_rejected():
    # MOD 11-2 catches every substitution of one character: 11 is prime and no weight is 0.
    valid = "11010519491231002X"
    for i in range(18):
        for replacement in "0123456789X":
            if replacement == valid[i] or (replacement == "X" and i < 17):
                continue
            forged = valid[:i] + replacement + valid[i + 1 :]
            with pytest.raises(ValidationError):
                validate_resident_id(forged)


def test_every_swap_of_two_adjacent_digits_of_a_valid_resident_id_is_rejected():
    valid = "310104190001011232"
    assert resident_id_check_char(valid[:17]) == valid[-1]
    for i in range(17):
        swapped = valid[:i] + valid[i + 1] + valid[i] + valid[i + 2 :]
        if swapped != valid:
            with pytest.raises(ValidationError):
                validate_resident_id(swapped)


# 00:30 on 2 January in Shanghai is still 1 January in UTC.
@time_machine.travel(datetime(2026, 1, 2, 0, 30, tzinfo=SHANGHAI))
def test_a_child_born_today_in_shanghai_is_accepted_even_while_utc_is_still_yesterday():
    validate_resident_id("650102202601020010")
    assert birth_date_from_resident_id("650102202601020010") == date(2026, 1, 2)


@time_machine.travel(datetime(2026, 1, 2, 0, 30, tzinfo=SHANGHAI))
def test_a_birth_date_in_the_future_is_rejected():
    error = _rejection(validate_resident_id, "650102202601030016")
    assert error.code == "birth_date_future"
    assert error.messages == ["The birth date in the number, 2026-01-03, is in the future."]


@time_machine.travel(datetime(2026, 1, 3, 0, 30, tzinfo=SHANGHAI))
def test_the_same_birth_date_is_accepted_once_the_day_has_come():
    validate_resident_id("650102202601030016")


@pytest.mark.parametrize(
    ("number", "born"),
    [
        ("11010519491231002X", date(1949, 12, 31)),
        (" 11010519491231002x ", date(1949, 12, 31)),
        ("310104190001011232", date(1900, 1, 1)),
        ("510102200002294562", date(2000, 2, 29)),
    ],
)
def test_the_birth_date_is_read_from_a_valid_number(number, born):
    assert birth_date_from_resident_id(number) == born


def test_no_birth_date_is_read_from_a_mistyped_number():
    with pytest.raises(ValidationError):
        birth_date_from_resident_id("11010519491231003X")


@pytest.mark.parametrize(
    "first17",
    [
        "",
        "1101051949123100",
        "110105194912310020",
        "1101051949123100X",
        "１１０１０５１９４９１２３１００２",
    ],
)
def test_the_resident_check_character_needs_exactly_17_ascii_digits(first17):
    with pytest.raises(ValueError):
        resident_id_check_char(first17)


def test_a_non_string_identifier_is_a_programming_error():
    # An int would have lost its leading zeros and could not hold the X anyway.
    with pytest.raises(TypeError):
        validate_resident_id(110105194912310020)


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("11010519491231002X", "110105********002X"),
        (" 11010519491231002x ", "110105********002X"),  # normalised first
        ("110105491231002", "110105*****1002"),  # an old 15-digit number
        ("1101051949", "**********"),  # too short to show any of it safely
        ("", ""),
    ],
)
def test_a_resident_id_is_masked_to_its_first_six_and_last_four_characters(value, masked):
    assert mask_resident_id(value) == masked


# --- Unified social credit codes -----------------------------------------------------------


def test_the_credit_code_weights_are_powers_of_three_mod_31():
    assert tuple(3**i % 31 for i in range(17)) == CREDIT_CODE_WEIGHTS


def test_the_credit_code_alphabet_leaves_out_i_o_s_v_and_z():
    assert len(CREDIT_CODE_ALPHABET) == 31
    assert set(CREDIT_CODE_ALPHABET) == set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") - set("IOSVZ")


@pytest.mark.parametrize(
    "code",
    [
        # Published codes, check characters verified by computation: the sample most validator
        # libraries quote, then 华为技术有限公司, 小米科技有限责任公司, 深圳市腾讯计算机系统有限公司.
        "91350100M000100Y43",
        "914403001922038216",
        "91110108551385082Q",
        "91440300708461136T",
        # Computed samples, one per kind of registration authority and check character.
        "11100000000013127D",  # 1 机构编制, 机关
        "51440300MJ00000019",  # 5 民政, 民办非企业单位
        "Y1350100MC00000016",  # Y 其他
        "N2330100MD00000015",  # N 农业, 村级集体经济组织
        "A1100000000000001C",  # A 中央军委改革和编制办公室
        "92310115MA1H00001X",  # 9 市场监管, 个体工商户
        "91110000MA00000240",  # check sum ≡ 0 (mod 31): 31 is written 0
        "91110000MA0000014Y",  # check value 30, the last character of the alphabet
    ],
)
def test_a_valid_credit_code_is_accepted(code):
    assert credit_code_check_char(code[:17]) == code[-1]
    validate_credit_code(code)


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("91350100m000100y43", "91350100M000100Y43"),  # lowercase
        ("  91350100M000100Y43\n", "91350100M000100Y43"),  # surrounding whitespace
        ("９１３５０１００Ｍ０００１００Ｙ４３", "91350100M000100Y43"),  # full-width
    ],
)
def test_a_credit_code_is_normalised_and_then_accepted(raw, normalised):
    assert normalize_credit_code(raw) == normalised
    validate_credit_code(raw)


@pytest.mark.parametrize(
    ("value", "code", "message"),
    [
        ("", "length", "The code must have 18 characters, not 0."),
        ("91350100M000100Y4", "length", "The code must have 18 characters, not 17."),
        ("91350100M000100Y433", "length", "The code must have 18 characters, not 19."),
        ("91350100-000100Y4", "length", "The code must have 18 characters, not 17."),
        *[
            (
                "91350100M000100" + letter + "43",
                "invalid_character",
                f"The character “{letter}” at position 16 is not allowed: "
                "the code never uses the letters I, O, S, V or Z.",
            )
            for letter in "IOSVZ"
        ],
        (
            "91350100m0001o0y43",  # lowercase o is made uppercase, then named
            "invalid_character",
            "The character “O” at position 14 is not allowed: "
            "the code never uses the letters I, O, S, V or Z.",
        ),
        (
            "91350100M00-100Y43",
            "invalid_character",
            "The character “-” at position 12 is not allowed: "
            "the code has only digits and capital letters other than I, O, S, V, Z.",
        ),
        (
            "91350100M000 00Y43",
            "invalid_character",
            "There is a space at position 13.",
        ),
        (
            _credit("01350100M000100Y4"),
            "authority",
            "The first character, “0”, is not a registration authority code: "
            "it must be a digit from 1 to 9, A, N or Y.",
        ),
        (
            _credit("B1350100M000100Y4"),
            "authority",
            "The first character, “B”, is not a registration authority code: "
            "it must be a digit from 1 to 9, A, N or Y.",
        ),
        (
            _credit("9135A100M000100Y4"),
            "division",
            "The character “A” at position 5 is not allowed: "
            "positions 3 to 8 are the division code and hold only digits.",
        ),
        ("91350100M000100Y44", "checksum", CHECKSUM_MESSAGE),  # check character changed
        ("91350100M000200Y43", "checksum", CHECKSUM_MESSAGE),  # one character changed
        ("914403001922038261", "checksum", CHECKSUM_MESSAGE),  # last two swapped
    ],
)
def test_an_invalid_credit_code_is_rejected_with_a_message_naming_the_mistake(value, code, message):
    error = _rejection(validate_credit_code, value)
    assert error.code == code
    assert error.messages == [message]
    if value:
        assert value.strip().upper() not in error.messages[0]


def test_every_single_character_change_of_a_valid_credit_code_is_rejected():
    # MOD 31-3 catches every substitution of one character: 31 is prime and no weight is 0.
    valid = "914403001922038216"
    for i in range(18):
        for replacement in CREDIT_CODE_ALPHABET:
            if replacement != valid[i]:
                with pytest.raises(ValidationError):
                    validate_credit_code(valid[:i] + replacement + valid[i + 1 :])


@pytest.mark.parametrize(
    "first17",
    ["", "91350100M000100Y", "91350100M000100Y43", "91350100M00010OY4", "91350100m000100y4"],
)
def test_the_credit_check_character_needs_exactly_17_characters_of_the_alphabet(first17):
    with pytest.raises(ValueError):
        credit_code_check_char(first17)
