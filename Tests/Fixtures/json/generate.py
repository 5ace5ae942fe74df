#!/usr/bin/env python3
"""Writes the JSON fixtures of Tests/Fixtures/json (valid/ and invalid/).

Only needed to change the corpus; the tests read the files. The expected
outputs below are written by hand (see README.md for the canonical form).
Run: python3 Tests/Fixtures/json/generate.py
"""
import os
base = os.path.dirname(os.path.abspath(__file__))
V = os.path.join(base, 'valid'); I = os.path.join(base, 'invalid')
os.makedirs(V, exist_ok=True); os.makedirs(I, exist_ok=True)
def b(x): return x.encode('utf-8') if isinstance(x, str) else x
def valid(name, text, expected):
    open(os.path.join(V, name + '.json'), 'wb').write(b(text))
    open(os.path.join(V, name + '.expected'), 'wb').write(b(expected) + b'\n')
def invalid(name, text, err):
    open(os.path.join(I, name + '.json'), 'wb').write(b(text))
    open(os.path.join(I, name + '.error'), 'wb').write(b(err) + b'\n')

# ---------------- valid ----------------
valid('empty_object', '{}', '{}')
valid('empty_array', '[]', '[]')
valid('empty_containers_nested', '{"a":{},"b":[],"c":[{}, [], [[]], {"d":{}}]}',
      '{"a":{},"b":[],"c":[{},[],[[]],{"d":{}}]}')
valid('empty_with_whitespace', '{ \n }', '{}')
valid('top_string', '"hello"', '"hello"')
valid('top_integer', '42', '42')
valid('top_null', 'null', 'null')
valid('top_true', ' true ', 'true')
valid('top_false', '\n\tfalse\r\n', 'false')
valid('literals', '[true,false,null]', '[true,false,null]')
valid('nulls_in_array', '[null,1,null,null]', '[null,1,null,null]')
valid('null_member', '{"a":null}', '{"a":null}')
valid('whitespace_variants', ' \t\r\n{ \t"a"\t:\r\n[ 1 ,\r\n2\t] , "b" :\n"c"\n}\r\n\t ',
      '{"a":[1,2],"b":"c"}')
valid('pretty_crlf', '{\r\n  "list": [\r\n    1,\r\n    2\r\n  ],\r\n  "name": "x"\r\n}\r\n',
      '{"list":[1,2],"name":"x"}')
valid('integers', '[0,1,-1,7,-7,123456789,-123456789,1000000000000]',
      '[0,1,-1,7,-7,123456789,-123456789,1000000000000]')
valid('int64_limits', '[9223372036854775807,-9223372036854775808,9223372036854775806,-9223372036854775807]',
      '[9223372036854775807,-9223372036854775808,9223372036854775806,-9223372036854775807]')
valid('beyond_int64', '[9223372036854775808,-9223372036854775809,18446744073709551616,123456789012345678901234567890]',
      '[9.223372036854776e+18,-9.223372036854776e+18,1.8446744073709552e+19,1.2345678901234568e+29]')
valid('floats', '[0.5,-0.5,0.1,0.2,3.14159,2.718281828459045,1.5e3,100.0,1.0,0.0,123.456]',
      '[0.5,-0.5,0.1,0.2,3.14159,2.718281828459045,1500,100,1,0,123.456]')
valid('float_17_digits', '[0.30000000000000004,1.7976931348623157e308,4.9e-324,2.2250738585072014e-308]',
      '[0.30000000000000004,1.7976931348623157e+308,4.94065645841247e-324,2.2250738585072014e-308]')
valid('exponents', '[1e0,1E0,1e+0,1e-0,0e0,0E-5,1e2,1E+2,1e-2,-1e-5,12e2,1.25e-2,7E1,1e22,1e23,1e300,2.5E+2]',
      '[1,1,1,1,0,0,100,100,0.01,-1e-05,1200,0.0125,70,1e+22,1e+23,1e+300,250]')
valid('negative_zero', '[-0,-0.0,-0e5,0,0.0]', '[-0,-0,-0,0,0]')
valid('underflow_to_zero', '[1e-400,-1e-400,1e-99999999999999]', '[0,-0,0]')
valid('large_integral_float', '[1e15,123456789012345.0,999999999999999.0,1e16]',
      '[1e+15,123456789012345,999999999999999,1e+16]')
valid('many_digits', '[0.1000000000000000000000000000000000000001,3.141592653589793238462643383279,100000000000000000000000]',
      '[0.1,3.141592653589793,1e+23]')
longnum = '1.' + '0' * 200 + '1'
valid('very_long_number', '[' + longnum + ',' + '9' * 150 + ']', '[1,1e+150]')
valid('escapes', r'"q\" b\\ s\/ \b \f \n \r \t A\u0041 e\u00e9 \u0000 \u001f \u007f \u0020"',
      '"q\\" b\\\\ s/ \\b \\f \\n \\r \\t AA e\u00e9 \\u0000 \\u001f \x7f  "')
valid('escapes_uppercase_hex', r'["\u00C5\u00c5","\uABCD"]', '["\u00c5\u00c5","\uabcd"]')
valid('surrogate_pairs', r'["\ud83d\ude00","\uD834\uDD1E","\uDBFF\uDFFF","\uD800\uDC00"]',
      '["\U0001F600","\U0001D11E","\U0010FFFF","\U00010000"]')
valid('bmp_escapes', r'["\u20AC","\uFFFF","\uFEFF","\u2028\u2029","\u0080","\u07FF","\u0800"]',
      '["\u20ac","\uffff","\ufeff","\u2028\u2029","\u0080","\u07ff","\u0800"]')
valid('utf8_raw', '["\u00e9","\u20ac","\U0001F600","\U0010FFFF","\ufffd","\x7f"]',
      '["\u00e9","\u20ac","\U0001F600","\U0010FFFF","\ufffd","\x7f"]')
valid('polish', '{"zdanie": "Zażółć gęślą jaźń", "litery": "ąęłńóśźż ĄĘŁŃÓŚŹŻ", "\\u0105": "\\u0119", "łódź": ["Kraków", "Gdańsk"]}',
      '{"litery":"ąęłńóśźż ĄĘŁŃÓŚŹŻ","zdanie":"Zażółć gęślą jaźń","ą":"ę","łódź":["Kraków","Gdańsk"]}')
valid('keys_sorted', '{"b":1,"a":2,"c":{"z":1,"y":2,"Z":3},"B":0,"aa":1,"a ":2}',
      '{"B":0,"a":2,"a ":2,"aa":1,"b":1,"c":{"Z":3,"y":2,"z":1}}')
valid('numeric_keys', '{"2":"b","1":"a","10":"c"}', '{"1":"a","10":"c","2":"b"}')
valid('escaped_keys', r'{"\"":1,"\n":2,"\\":3,"\u0000":4}', '{"\\u0000":4,"\\n":2,"\\"":1,"\\\\":3}')
valid('bom_skipped', b'\xef\xbb\xbf{"a": 1}\n', '{"a":1}')
valid('empty_string', '["",{"":""}]', '["",{"":""}]')
# deep nesting: 200 levels is the limit and is fine
valid('deep_200_arrays', '[' * 200 + ']' * 200, '[' * 200 + ']' * 200)
valid('deep_200_mixed', '{"a":' * 100 + '[' * 99 + '1' + ']' * 99 + '}' * 100,
      '{"a":' * 100 + '[' * 99 + '1' + ']' * 99 + '}' * 100)
# long strings: plain (fast path), with escapes (luaL_Buffer box), Polish
chunk = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '
long_plain = chunk * 2000   # ~114 KB
valid('long_string_plain', '"' + long_plain + '"', '"' + long_plain + '"')
long_esc = 'line\\n\\ttab \\"q\\" \\u0105 ' * 3000
long_esc_out = 'line\\n\\ttab \\"q\\" \u0105 ' * 3000
valid('long_string_escapes', '["' + long_esc + '"]', '["' + long_esc_out + '"]')
long_pl = 'zażółć gęślą jaźń ' * 5000
valid('long_string_polish', '{"t":"' + long_pl + '"}', '{"t":"' + long_pl + '"}')
long_key = 'k' * 5000
valid('long_key', '{"' + long_key + '":1,"a":2}', '{"a":2,"' + long_key + '":1}')
valid('big_array', '[' + ','.join(str(i) for i in range(10000)) + ']',
      '[' + ','.join(str(i) for i in range(10000)) + ']')
realistic = '''{
  "id": "ord-2024-000123",
  "customer": {
    "id": 48213,
    "name": "Zofia Kowalska",
    "email": "zofia.kowalska@example.pl",
    "segment": "premium",
    "address": {"street": "ul. Długa 12/4", "city": "Gdańsk", "zip": "80-831", "country": "PL"},
    "since": "2019-03-14"
  },
  "items": [
    {"sku": "A-1001", "name": "Kawa ziarnista 1 kg", "qty": 2, "price": 89.99, "tags": ["food", "coffee"]},
    {"sku": "B-2002", "name": "Młynek ręczny", "qty": 1, "price": 149.5, "tags": ["kitchen"]},
    {"sku": "C-3003", "name": "Filtry papierowe", "qty": 3, "price": 12.0, "tags": []}
  ],
  "total": 365.48,
  "currency": "PLN",
  "paid": true,
  "coupon": null,
  "risk": {"score": 0.173, "flags": ["new_device"], "checked_at": 1718000000},
  "notes": "Proszę dzwonić przed dostawą.\\nDziękuję!"
}
'''
valid('realistic_order', realistic,
      '{"coupon":null,"currency":"PLN","customer":{"address":{"city":"Gdańsk","country":"PL","street":"ul. Długa 12/4","zip":"80-831"},'
      '"email":"zofia.kowalska@example.pl","id":48213,"name":"Zofia Kowalska","segment":"premium","since":"2019-03-14"},'
      '"id":"ord-2024-000123","items":[{"name":"Kawa ziarnista 1 kg","price":89.99,"qty":2,"sku":"A-1001","tags":["food","coffee"]},'
      '{"name":"Młynek ręczny","price":149.5,"qty":1,"sku":"B-2002","tags":["kitchen"]},'
      '{"name":"Filtry papierowe","price":12,"qty":3,"sku":"C-3003","tags":[]}],'
      '"notes":"Proszę dzwonić przed dostawą.\\nDziękuję!","paid":true,'
      '"risk":{"checked_at":1718000000,"flags":["new_device"],"score":0.173},"total":365.48}')

# ---------------- invalid ----------------
invalid('empty_input', '', 'line 1, column 1: unexpected end of input')
invalid('only_whitespace', '  \n  ', 'line 2, column 3: unexpected end of input')
invalid('only_bom', b'\xef\xbb\xbf', 'line 1, column 1: unexpected end of input')
invalid('double_bom', b'\xef\xbb\xbf\xef\xbb\xbf1', 'line 1, column 1: unexpected byte order mark')
invalid('bom_inside', b'[1,\xef\xbb\xbf2]', 'line 1, column 4: expected a value')
invalid('trailing_comma_array', '[1,2,]', "line 1, column 6: trailing comma before ']' is not allowed")
invalid('trailing_comma_object', '{"a":1,}', "line 1, column 8: trailing comma before '}' is not allowed")
invalid('trailing_comma_nested', '{"a":[1,\n  2,\n]}', "line 3, column 1: trailing comma before ']'")
invalid('leading_comma', '[,1]', "line 1, column 2: expected a value (an object, array, string, number, true, false or null), found ','")
invalid('trailing_garbage', '{"a":1} x', "line 1, column 9: unexpected data after the value: 'x'")
invalid('two_values', '1 2', 'line 1, column 3: unexpected data after the value')
invalid('two_objects', '{}\n{}', 'line 2, column 1: unexpected data after the value')
invalid('nul_after_value', b'[1]\x00', 'line 1, column 4: unexpected data after the value: control character U+0000')
invalid('leading_zero', '[01]', 'line 1, column 2: leading zeros are not allowed in numbers')
invalid('leading_zeros_negative', '[-012]', 'line 1, column 2: leading zeros are not allowed in numbers')
invalid('double_zero', '00', 'line 1, column 1: leading zeros are not allowed')
invalid('plus_sign', '[+1]', "line 1, column 2: a number cannot start with '+'")
invalid('dot_start', '.5', "line 1, column 1: a number cannot start with '.'")
invalid('dot_end', '[1.]', 'line 1, column 4: expected a digit after the decimal point')
invalid('dot_exponent', '1.e5', 'line 1, column 3: expected a digit after the decimal point')
invalid('exponent_empty', '1e', 'line 1, column 3: expected a digit in the exponent')
invalid('exponent_sign_only', '[1E+]', 'line 1, column 5: expected a digit in the exponent')
invalid('minus_only', '-', "line 1, column 2: expected a digit after '-'")
invalid('minus_space', '- 1', "line 1, column 2: expected a digit after '-'")
invalid('nan', '[NaN]', 'line 1, column 2: NaN is not a valid JSON number')
invalid('infinity', '{"x": Infinity}', 'line 1, column 7: Infinity is not a valid JSON number')
invalid('minus_infinity', '-Infinity', 'line 1, column 1: -Infinity is not a valid JSON number')
invalid('number_out_of_range', '1e400', 'line 1, column 1: number out of range')
invalid('number_out_of_range_negative', '[1, -1e400]', 'line 1, column 5: number out of range')
invalid('number_out_of_range_long', '[' + '9' * 400 + ']', 'line 1, column 2: number out of range')
invalid('hex_number', '0x1F', "line 1, column 2: unexpected data after the value: 'x'")
invalid('two_dots', '1.2.3', "line 1, column 4: unexpected data after the value: '.'")
invalid('unterminated_string', '"abc', 'line 1, column 1: unterminated string')
invalid('unterminated_string_in_object', '{"a": "b', 'line 1, column 7: unterminated string')
invalid('unterminated_after_escape', '["ab\\n', 'line 1, column 2: unterminated string')
invalid('unterminated_backslash_end', '"abc\\', 'line 1, column 1: unterminated string')
invalid('unterminated_escaped_quote', '"abc\\"', 'line 1, column 1: unterminated string')
invalid('raw_newline_in_string', '["a\nb"]', 'line 1, column 4: line break inside a string')
invalid('raw_tab_in_string', '"a\tb"', 'line 1, column 3: control character U+0009 inside a string must be escaped')
invalid('raw_control_in_string', b'"a\x01"', 'line 1, column 3: control character U+0001 inside a string must be escaped')
invalid('raw_nul_in_string', b'"\x00"', 'line 1, column 2: control character U+0000 inside a string')
invalid('raw_control_after_escape', b'"\\n\x1f"', 'line 1, column 4: control character U+001F')
invalid('invalid_escape_x', r'"a\x41"', "line 1, column 3: invalid escape '\\x' in a string")
invalid('invalid_escape_upper_u', r'"\U0041"', "line 1, column 2: invalid escape '\\U'")
invalid('invalid_escape_apostrophe', r'"\'"', "line 1, column 2: invalid escape '\\''")
invalid('short_unicode_escape', r'"\u12"', 'line 1, column 2: invalid \\u escape: expected 4 hexadecimal digits')
invalid('bad_hex_unicode_escape', r'["\u12G4"]', 'line 1, column 3: invalid \\u escape')
invalid('unicode_escape_at_end', '"\\u00', 'line 1, column 2: invalid \\u escape')
invalid('lone_high_surrogate', r'"\ud800"', 'line 1, column 2: lone surrogate \\uD800')
invalid('high_surrogate_then_char', r'"\uD83Dx"', 'line 1, column 2: lone surrogate \\uD83D')
invalid('high_surrogate_then_bmp', r'"\ud800\u0041"', 'line 1, column 2: lone surrogate \\uD800')
invalid('two_high_surrogates', r'"\ud800\ud800"', 'line 1, column 2: lone surrogate \\uD800')
invalid('lone_low_surrogate', r'["ok","\udc00"]', 'line 1, column 8: lone surrogate \\uDC00: a low surrogate must follow')
invalid('reversed_surrogates', r'"\uDE00\uD83D"', 'line 1, column 2: lone surrogate \\uDE00')
invalid('utf8_stray_continuation', b'"\x80"', 'line 1, column 2: invalid UTF-8 byte 0x80 (unexpected continuation byte)')
invalid('utf8_truncated_2', b'"\xc3"', 'line 1, column 2: invalid UTF-8 byte 0xC3 (truncated sequence)')
invalid('utf8_truncated_3', b'"ab\xe2\x82"', 'line 1, column 4: invalid UTF-8 byte 0xE2 (truncated sequence)')
invalid('utf8_truncated_at_eof', b'"\xf0\x9f\x98', 'line 1, column 2: invalid UTF-8 byte 0xF0 (truncated sequence)')
invalid('utf8_overlong_2', b'"\xc0\xaf"', 'line 1, column 2: invalid UTF-8 byte 0xC0 (overlong encoding)')
invalid('utf8_overlong_c1', b'"\xc1\xbf"', 'line 1, column 2: invalid UTF-8 byte 0xC1 (overlong encoding)')
invalid('utf8_overlong_3', b'"\xe0\x80\xaf"', 'line 1, column 2: invalid UTF-8 byte 0xE0 (overlong encoding)')
invalid('utf8_overlong_4', b'"\xf0\x80\x80\xaf"', 'line 1, column 2: invalid UTF-8 byte 0xF0 (overlong encoding)')
invalid('utf8_surrogate', b'"\xed\xa0\x80"', 'line 1, column 2: invalid UTF-8 byte 0xED (UTF-16 surrogate encoded in UTF-8)')
invalid('utf8_beyond_10ffff', b'"\xf4\x90\x80\x80"', 'line 1, column 2: invalid UTF-8 byte 0xF4 (code point beyond U+10FFFF)')
invalid('utf8_f5', b'"\xf5\x80\x80\x80"', 'line 1, column 2: invalid UTF-8 byte 0xF5')
invalid('utf8_ff', b'"ok \xff"', 'line 1, column 5: invalid UTF-8 byte 0xFF (not a UTF-8 byte)')
invalid('utf8_latin2_bytes', b'{"miasto": "\xb3\xf3d\xbc"}', 'line 1, column 13: invalid UTF-8 byte 0xB3')
invalid('utf8_in_escaped_string', b'"\\n\xc3("', 'line 1, column 4: invalid UTF-8 byte 0xC3 (truncated sequence)')
invalid('utf8_invalid_in_key', b'{"k\xe9y": 1}', 'line 1, column 4: invalid UTF-8 byte 0xE9')
invalid('utf8_invalid_outside_string', b'[1,\xff]', 'line 1, column 4: expected a value (an object, array, string, number, true, false or null), found invalid UTF-8 byte 0xFF')
invalid('duplicate_key', '{"name":1,"name":2}', 'line 1, column 11: duplicate key "name"')
invalid('duplicate_key_nested', '{\n  "a": {\n    "x": 1,\n    "x": null\n  }\n}', 'line 4, column 5: duplicate key "x"')
invalid('duplicate_key_escaped', r'{"a":1,"\u0061":2}', 'line 1, column 8: duplicate key "\\u0061"')
invalid('duplicate_key_polish', '{"źdźbło":1, "źdźbło":2}', 'line 1, column 14: duplicate key "źdźbło"')
invalid('duplicate_empty_key', '{"":1,"":2}', 'line 1, column 7: duplicate key ""')
invalid('deep_201_arrays', '[' * 201 + ']' * 201, 'line 1, column 201: nesting deeper than 200')
invalid('deep_201_objects', '{"a":' * 201 + '1' + '}' * 201, 'line 1, column 1001: nesting deeper than 200')
invalid('deep_unbounded', '[' * 100000, 'line 1, column 201: nesting deeper than 200')
invalid('single_quotes', "{'a':1}", "line 1, column 2: expected a string key in double quotes, found '''")
invalid('single_quoted_value', "['a']", "line 1, column 2: strings must be in double quotes")
invalid('unquoted_key', '{a:1}', "line 1, column 2: expected a string key in double quotes, found 'a'")
invalid('number_key', '{1:1}', "line 1, column 2: expected a string key in double quotes, found '1'")
invalid('missing_colon', '{"a" 1}', "line 1, column 6: expected ':' after an object key, found '1'")
invalid('missing_comma_object', '{"a":1 "b":2}', "line 1, column 8: expected ',' or '}' after an object member, found '\"'")
invalid('missing_comma_array', '[1 2]', "line 1, column 4: expected ',' or ']' after an array element, found '2'")
invalid('wrong_closer_array', '[1}', "line 1, column 3: expected ',' or ']' after an array element, found '}'")
invalid('wrong_closer_object', '{"a":1]', "line 1, column 7: expected ',' or '}' after an object member, found ']'")
invalid('unclosed_array', '[1,2', 'line 1, column 5: unexpected end of input (an array is not closed)')
invalid('unclosed_object', '{"a":1', 'line 1, column 7: unexpected end of input (an object is not closed)')
invalid('unclosed_object_after_comma', '{"a":1,', 'line 1, column 8: unexpected end of input (an object is not closed)')
invalid('missing_value', '{"a":}', "line 1, column 6: expected a value")
invalid('missing_value_eof', '{"a":', 'line 1, column 6: unexpected end of input (expected a value)')
invalid('truncated_true', 'tru', "line 1, column 4: unexpected end of input inside 'true'")
invalid('truncated_null', '[nul', "line 1, column 5: unexpected end of input inside 'null'")
invalid('capital_true', '[True]', "line 1, column 2: invalid literal 'True' (JSON literals are lowercase: true)")
invalid('python_none', '{"a": None}', "line 1, column 7: invalid literal 'None' (JSON uses null)")
invalid('literal_run_on', '[nulll]', "line 1, column 2: invalid literal 'nulll'")
invalid('literal_with_digit', '[true1]', "line 1, column 2: invalid literal 'true1'")
invalid('undefined', 'undefined', "line 1, column 1: invalid literal 'undefined'")
invalid('comment', '{"a":1 /* c */}', "line 1, column 8: expected ',' or '}' after an object member, found '/'")
invalid('line_comment', '// c\n1', "line 1, column 1: expected a value (an object, array, string, number, true, false or null), found '/'")
invalid('control_outside_string', b'[1,\x01]', 'line 1, column 4: expected a value (an object, array, string, number, true, false or null), found control character U+0001')
invalid('nbsp_whitespace', '[1,\u00a02]', "line 1, column 4: expected a value (an object, array, string, number, true, false or null), found '\u00a0' (U+00A0)")
invalid('formfeed_whitespace', '[1,\f2]', 'line 1, column 4: expected a value')
invalid('column_counts_characters', '{\n  "ąę": "żółć", x\n}', "line 2, column 17: expected a string key in double quotes, found 'x'")
invalid('crlf_line_counting', '[1,\r\n2,\r\nx]', "line 3, column 1: invalid literal 'x'")
invalid('cr_line_counting', '[1,\r2,\rx]', "line 3, column 1: invalid literal 'x'")
invalid('error_after_bom', b'\xef\xbb\xbf[1,]', "line 1, column 4: trailing comma before ']'")
invalid('error_late_in_long_line', '[' + '"ąę",' * 1000 + 'x]', "line 1, column 5002: invalid literal 'x'")

# objects/arrays around the decoder's batch sizes (32 members, 64 elements)
def obj(n): return '{' + ','.join('"k%03d":%d' % (i, i) for i in range(n)) + '}'
for n in (31, 32, 33, 100):
    valid('object_%d_members' % n, obj(n), obj(n))
for n in (63, 64, 65, 200):
    a = '[' + ','.join('"v%d"' % i for i in range(n)) + ']'
    valid('array_%d_elements' % n, a, a)
keys40 = ['"k%02d":1' % i for i in range(40)]
k = list(keys40); k[38] = '"k03":1'    # duplicate after the first 32 (direct phase) of one in the batch
t = '{' + ','.join(k) + '}'
invalid('duplicate_key_after_batch', t, 'line 1, column %d: duplicate key "k03"' % (t.index('"k03"', t.index('"k03"') + 1) + 1))
k = list(keys40); k[20] = '"k05":1'    # both inside the first batch
t = '{' + ','.join(k) + '}'
invalid('duplicate_key_in_batch', t, 'line 1, column %d: duplicate key "k05"' % (t.index('"k05"', t.index('"k05"') + 1) + 1))
k = list(keys40); k[36] = '"k34":1'    # both after the batch
t = '{' + ','.join(k) + '}'
invalid('duplicate_key_both_after_batch', t, 'line 1, column %d: duplicate key "k34"' % (t.index('"k34"', t.index('"k34"') + 1) + 1))

# many nested objects with many keys: the decoder's 512 key slots run out
# (16 levels x 32 keys), deeper objects are filled directly
def nested(level):
    if level == 20:
        return '{"a":1,"a":2}'
    members = ['"m%02d":%d' % (i, i) for i in range(31)]
    return '{' + ','.join(members) + ',"z":' + nested(level + 1) + '}'
t = nested(0)
invalid('duplicate_key_when_key_slots_run_out', t, 'line 1, column %d: duplicate key "a"' % (t.index('"a":2') + 1))
def nested_ok(level):
    members = ['"m%02d":%d' % (i, i) for i in range(31)]
    inner = '{"a":1,"b":[1,{"c":2}]}' if level == 20 else nested_ok(level + 1)
    return '{' + ','.join(members) + ',"z":' + inner + '}'
valid('nested_objects_beyond_key_slots', nested_ok(0), nested_ok(0))
