/* The detectors, one per entity, in the order of enum cordon_entity. Adding an
 * entity: its file in src/detect/, its enum value, one line here. */
#include "detect/detector.h"

extern const struct detector detector_email, detector_ip, detector_phone,
	detector_credit_card, detector_iban, detector_us_ssn, detector_mac,
	detector_url_credentials, detector_secret, detector_product_key, detector_person,
	detector_location;

const struct detector *const cordon_detectors[CORDON_ENTITY_COUNT] = {
	[CORDON_EMAIL_ADDRESS] = &detector_email,
	[CORDON_IP_ADDRESS] = &detector_ip,
	[CORDON_PHONE_NUMBER] = &detector_phone,
	[CORDON_CREDIT_CARD] = &detector_credit_card,
	[CORDON_IBAN_CODE] = &detector_iban,
	[CORDON_US_SSN] = &detector_us_ssn,
	[CORDON_MAC_ADDRESS] = &detector_mac,
	[CORDON_URL_CREDENTIALS] = &detector_url_credentials,
	[CORDON_SECRET] = &detector_secret,
	[CORDON_PRODUCT_KEY] = &detector_product_key,
	[CORDON_PERSON] = &detector_person,
	[CORDON_LOCATION] = &detector_location,
};
