// See phone_e164.h. The only C++ in cordon: libphonenumber has no C API.
// Nothing here may throw into C: every call is guarded.
#include <cstring>
#include <string>
#include <phonenumbers/phonenumberutil.h>
#include "detect/phone_e164.h"

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

extern "C" size_t phone_e164(const char *text, size_t len, const char *region, char *out, size_t cap)
{
	if (!text || !out || !cap)
		return 0;
	out[0] = '\0';
	try {
		const PhoneNumberUtil *util = PhoneNumberUtil::GetInstance();
		PhoneNumber number;
		std::string in(text, len), e164;
		auto read = [&](const std::string &s, const char *r) {
			return util->Parse(s, r, &number) == PhoneNumberUtil::NO_PARSING_ERROR &&
			       util->IsPossibleNumber(number);
		};
		bool ok = read(in, region && *region ? region : "ZZ");
		/* a national form (no '+') stands for the region's number only
		 * when the region has such a number: "13669207406" read in US
		 * is a possible +1 366... but no valid one (a Chinese mobile) */
		size_t first = in.find_first_not_of(" \t([");
		if (ok && (first == std::string::npos || in[first] != '+') && !util->IsValidNumber(number))
			ok = false;
		if (!ok) {
			/* "00" (most of the world) and "011" (North America) dial
			 * out: "0044 20 ..." is +44 20 ... wherever it was written */
			size_t i = 0;
			while (i < in.size() && (in[i] < '0' || in[i] > '9') && in[i] != '+')
				i++;
			if (in.compare(i, 2, "00") == 0)
				ok = read("+" + in.substr(i + 2), "ZZ");
			else if (in.compare(i, 3, "011") == 0)
				ok = read("+" + in.substr(i + 3), "ZZ");
		}
		if (!ok)
			return 0;
		util->Format(number, PhoneNumberUtil::E164, &e164);
		size_t n = e164.size() < cap ? e164.size() : cap - 1;
		std::memcpy(out, e164.data(), n);
		out[n] = '\0';
		return e164.size();
	} catch (...) {
		return 0;
	}
}

extern "C" int phone_valid(const char *text, size_t len, const char *region)
{
	if (!text)
		return 0;
	try {
		const PhoneNumberUtil *util = PhoneNumberUtil::GetInstance();
		PhoneNumber number;
		return util->Parse(std::string(text, len), region && *region ? region : "ZZ", &number) ==
			       PhoneNumberUtil::NO_PARSING_ERROR &&
		       util->IsValidNumber(number);
	} catch (...) {
		return 0;
	}
}

extern "C" int phone_region_ok(const char *region)
{
	if (!region || std::strlen(region) != 2)
		return 0;
	try {
		std::string r(region);
		for (char &c : r)
			c = (char)((c >= 'a' && c <= 'z') ? c - 32 : c);
		return PhoneNumberUtil::GetInstance()->GetCountryCodeForRegion(r) != 0;
	} catch (...) {
		return 0;
	}
}
