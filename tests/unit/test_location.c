/* LOCATION: street addresses in the common US, UK, German and French forms,
 * with unit, city, state and postcode; postcodes next to what makes them
 * postcodes; and numbers that are not addresses. */
#include "detect_cases.h"

static const struct detect_case found[] = {
	/* US */
	{ "ship to 1 Microsoft Way, Redmond, WA 98052-6399 please", "1 Microsoft Way, Redmond, WA 98052-6399" },
	{ "I live at 350 5th Ave Apt 4B, New York, NY 10118", "350 5th Ave Apt 4B, New York, NY 10118" },
	{ "address: 742 Evergreen Terrace, Springfield", "742 Evergreen Terrace, Springfield" },
	{ "send it to 1600 Pennsylvania Avenue NW", "1600 Pennsylvania Avenue NW" },
	{ "it is 12 Oak St. Suite 200", "12 Oak St. Suite 200" },
	{ "office in Bellevue, WA 98004", "Bellevue, WA 98004" },
	/* UK */
	{ "221B Baker Street, London NW1 6XE", "221B Baker Street, London NW1 6XE" },
	{ "postcode SW1A 1AA", "SW1A 1AA" },
	{ "my postcode is M1 1AE", "M1 1AE" },
	{ "Flat 2, 10 Downing Street", "Flat 2, 10 Downing Street" }, /* the unit's line before */
	{ "Our office: Unit 5, 17 Rue de Rivoli, 75001 Paris", "Unit 5, 17 Rue de Rivoli, 75001 Paris" },
	/* Germany */
	{ "Lieferadresse: Hauptstraße 12a, 10115 Berlin", "Hauptstraße 12a, 10115 Berlin" },
	{ "wohne in der Berliner Str. 5, 80331 München", "Berliner Str. 5, 80331 München" },
	{ "Anschrift: Am Ring 3", "Am Ring 3" },
	{ "PLZ 50667 Köln", "50667 Köln" },
	/* France */
	{ "Envoyez à 12 rue de la Paix, 75002 Paris.", "12 rue de la Paix, 75002 Paris" },
	{ "au 5 bis, avenue Foch", "5 bis, avenue Foch" },
	{ "j'habite 8 boulevard Saint-Michel", "8 boulevard Saint-Michel" },
	/* any country's order after a word that announces an address, to the
	 * end of the sentence: abbreviations inside, another script, a box */
	{ "my address is Africk\u00e1 5/2, 925 27 Z\u00e1kupy. thanks", "Africk\u00e1 5/2, 925 27 Z\u00e1kupy" },
	{ "my address is C. \u00c1ngel Colomer 74, Melilla, 99547", "C. \u00c1ngel Colomer 74, Melilla, 99547" },
	{ "Address: Gg. Dipatiukur No. 5, Tebingtinggi, Sulteng 66727. ok",
	  "Gg. Dipatiukur No. 5, Tebingtinggi, Sulteng 66727" },
	{ "ship it to \u7fa4\u99ac\u770c\u5bcc\u91cc\u5e0213\u4e01\u76ee12\u756a3\u53f7",
	  "\u7fa4\u99ac\u770c\u5bcc\u91cc\u5e0213\u4e01\u76ee12\u756a3\u53f7" },
	{ "invoice address Hanna-Oderwald-Gasse 82, 43582 Rehau, order 10.0.18150.4323",
	  "Hanna-Oderwald-Gasse 82, 43582 Rehau" },
	{ "my address is Unit 5417 Box 0857, DPO AA 16989", "Unit 5417 Box 0857, DPO AA 16989" },
	/* the word for "is" after the cue, in the cues' languages, is left out */
	{ "mi direcci\u00f3n es Calle Mayor 5, Madrid", "Calle Mayor 5, Madrid" },
	{ "meine Adresse ist Hauptstra\u00dfe 5, 10115 Berlin", "Hauptstra\u00dfe 5, 10115 Berlin" },
	{ "o meu endere\u00e7o \u00e9 Rua Augusta 100, Lisboa", "Rua Augusta 100, Lisboa" },
	{ "moja adresa jest ul. D\u0142uga 5, Gda\u0144sk", "ul. D\u0142uga 5, Gda\u0144sk" },
	/* announced, with no house number: a date's or a time's digits still
	 * wake the announced address's reading, a version's do not */
	{ "ship to: Baker Street on 2024-06-25", "Baker Street on 2024-06-25" },
	{ "deliver to Baker Street at 14:22:05", "Baker Street at 14:22:05" },
	/* over several lines after a label, to an empty line or another label */
	{ "Address:\n12 Main Street\nSpringfield, IL 62704\n\nThanks, Bob", "12 Main Street\nSpringfield, IL 62704" },
	{ "Adresse:\nRosenweg 4\n8001 Z\u00fcrich\nTelefon: 044 123", "Rosenweg 4\n8001 Z\u00fcrich" },
	/* a place the gazetteer knows (GeoNames, in many languages), after a
	 * preposition or a label, or of several words */
	{ "I am in Lisbon this week", "Lisbon" },
	{ "our branch in M\u00fcnchen has Outlook down", "M\u00fcnchen" },
	{ "City: Reading", "Reading" },
	{ "outage reported from San Francisco since 10", "San Francisco" },
	{ "the New York office is down", "New York" },
	{ "the user works from \u6a2a\u6d5c\u5e02\u9752\u8449\u533a", "\u6a2a\u6d5c\u5e02\u9752\u8449\u533a" },
	{ "the office moved to \uacbd\uae30\ub3c4 \ud654\uc131\uc2dc", "\uacbd\uae30\ub3c4 \ud654\uc131\uc2dc" },
	{ "the office moved to Studio 2, Phillip parkway, South Lindaborough, BT0H 8LF. Card: 4",
	  "Studio 2, Phillip parkway, South Lindaborough, BT0H 8LF" },
	/* a street, its number and a postcode after a comma, no word announcing it */
	{ "the parcel for Incrocio Serra 1, Settimo Patrizio lido, 74439 Gorizia (EN) came back",
	  "Incrocio Serra 1, Settimo Patrizio lido, 74439 Gorizia (EN)" },
	{ "the parcel for Klouzkov\u00e1 2/7, 111 14 \u017d\u00e1nice came back", "Klouzkov\u00e1 2/7, 111 14 \u017d\u00e1nice" },
	{ "the parcel for plac Orla 83, 28-804 Piotrk\u00f3w Trybunalski came back", "plac Orla 83, 28-804 Piotrk\u00f3w Trybunalski" },
	{ "the parcel for Jalan Kebonjati No. 8, Medan, Aceh 58682 came back", "Jalan Kebonjati No. 8, Medan, Aceh 58682" },
	{ "the parcel for Camino de Roberto Aroca 5, Alicante, 10614 came back", "Camino de Roberto Aroca 5, Alicante, 10614" },
	{ "ship it today: R\u00f6rrichtstr. 4/0, 40432 Seelow. ok", "R\u00f6rrichtstr. 4/0, 40432 Seelow" },
	{ "sent to Goetheweg 40, 61118 Bad Vilbel yesterday", "Goetheweg 40, 61118 Bad Vilbel" },
	/* a street its type starts, a comma, then its number (Ukrainian, Russian) */
	{ "the parcel for \u0432\u0443\u043b\u0438\u0446\u044f \u0416\u0434\u0430\u043d\u043e\u0432\u0430, 6, \u0441\u0435\u043b\u0438\u0449\u0435 \u041f\u0440\u0456\u0441\u043a\u0430, 85979 came back",
	  "\u0432\u0443\u043b\u0438\u0446\u044f \u0416\u0434\u0430\u043d\u043e\u0432\u0430, 6, \u0441\u0435\u043b\u0438\u0449\u0435 \u041f\u0440\u0456\u0441\u043a\u0430, 85979" },
	{ "ship \u0443\u043b. \u0420\u044b\u043b\u0435\u0435\u0432\u0430, \u0434. 51, 747087 ok", "\u0443\u043b. \u0420\u044b\u043b\u0435\u0435\u0432\u0430, \u0434. 51, 747087" },
	/* an address with no digit, after a word that says "address" */
	{ "Address: \ub300\uad6c\uad11\uc5ed\uc2dc \ub3c4\ubd09\uad6c \uc11c\ucd08\ub300\uac70\ub9ac (\uc11c\uc900\uae40\ub9c8\uc744)",
	  "\ub300\uad6c\uad11\uc5ed\uc2dc \ub3c4\ubd09\uad6c \uc11c\ucd08\ub300\uac70\ub9ac (\uc11c\uc900\uae40\ub9c8\uc744)" },
	{ "Address: Rua Augusta, Lisboa. thanks", "Rua Augusta, Lisboa" },
	/* a Japanese or Chinese address by its markers, no word announcing it */
	{ "the parcel for \u5948\u826f\u770c\u65b0\u5cf6\u6751\u53f0\u583421\u4e01\u76ee25\u756a15\u53f7 \u4e94\u5473\u30f6\u8c37\u30d1\u30fc\u30af518 came back",
	  "\u5948\u826f\u770c\u65b0\u5cf6\u6751\u53f0\u583421\u4e01\u76ee25\u756a15\u53f7 \u4e94\u5473\u30f6\u8c37\u30d1\u30fc\u30af518" },
	{ "\u6771\u4eac\u90fd\u6e2f\u533a\u829d\u516c\u57124\u4e01\u76ee", "\u6771\u4eac\u90fd\u6e2f\u533a\u829d\u516c\u57124\u4e01\u76ee" },
	/* a town no gazetteer knows, after a label that names one */
	{ "City: Kingstad", "Kingstad" },
	{ "City: Caputo calabro. mobile +44 20", "Caputo calabro" },
	{ "Wohnort: Unterhinterdorf\nTelefon", "Unterhinterdorf" },
	{ "City: \u0445\u0443\u0442\u0456\u0440 \u041f\u0435\u0442\u0440\u043e", "\u0445\u0443\u0442\u0456\u0440 \u041f\u0435\u0442\u0440\u043e" },
	/* a settlement after the word for one (Russian, Ukrainian) */
	{ "the user works from \u0433. \u041a\u0430\u0440\u0433\u0430\u0441\u043e\u043a since 5", "\u0433. \u041a\u0430\u0440\u0433\u0430\u0441\u043e\u043a" },
	{ "our branch in \u0441. \u0425\u0430\u0442\u0430\u043d\u0433\u0430 has Teams down", "\u0441. \u0425\u0430\u0442\u0430\u043d\u0433\u0430" },
	/* the classifier's other kinds (кишлак, колхоз, рабочий посёлок), and a
	 * region in brackets after the name */
	{ "our branch in \u043a. \u0425\u0430\u0431\u0430\u0440\u043e\u0432\u0441\u043a has Slack down", "\u043a. \u0425\u0430\u0431\u0430\u0440\u043e\u0432\u0441\u043a" },
	{ "our branch in \u043a\u043b\u0445 \u041c\u043e\u0441\u043a\u0432\u0430 has Excel down", "\u043a\u043b\u0445 \u041c\u043e\u0441\u043a\u0432\u0430" },
	{ "I am in \u0440\u043f \u0421\u0435\u0432\u0435\u0440\u043d\u044b\u0439 this week", "\u0440\u043f \u0421\u0435\u0432\u0435\u0440\u043d\u044b\u0439" },
	{ "I am in \u043f. \u041e\u043a\u0442\u044f\u0431\u0440\u044c\u0441\u043a\u0438\u0439 (\u0411\u0430\u0448\u043a.) this week",
	  "\u043f. \u041e\u043a\u0442\u044f\u0431\u0440\u044c\u0441\u043a\u0438\u0439 (\u0411\u0430\u0448\u043a.)" },
	{ "our branch in \u0441\u0442. \u041a\u0438\u0440\u043e\u0432 (\u0412\u044f\u0442\u043a\u0430) has Intune down",
	  "\u0441\u0442. \u041a\u0438\u0440\u043e\u0432 (\u0412\u044f\u0442\u043a\u0430)" },
	/* a bracket of numbers or of lower case after it is not the town's */
	{ "I am in \u0433. \u041c\u043e\u0441\u043a\u0432\u0430 (2024) this week", "\u0433. \u041c\u043e\u0441\u043a\u0432\u0430" },
	{ "I am in \u0433. \u041c\u043e\u0441\u043a\u0432\u0430 (see below) this week", "\u0433. \u041c\u043e\u0441\u043a\u0432\u0430" },
	/* Persian: the word for the kind of place, then its name */
	{ "outage reported from \u0634\u0647\u0631\u0633\u062a\u0627\u0646 \u0645\u0639\u0635\u0648\u0645\u0647 since 5",
	  "\u0634\u0647\u0631\u0633\u062a\u0627\u0646 \u0645\u0639\u0635\u0648\u0645\u0647" },
	/* a word no list knows with a place name's ending, after a preposition */
	{ "outage reported from Ebersberg since 5", "Ebersberg" },
	{ "I am in Rychnov u Jablonce nad Nisou this week", "Rychnov u Jablonce nad Nisou" },
	{ "I am in Zwartsluis this week", "Zwartsluis" },
	{ "I am in West Danielhaven this week", "West Danielhaven" },
	{ "outage reported from Bad Freienwalde since 10", "Bad Freienwalde" },
	{ "our branch in \u092d\u093e\u0917\u0932\u092a\u0941\u0930 has Zoom down", "\u092d\u093e\u0917\u0932\u092a\u0941\u0930" },
	{ "I am in \uc6a9\uc778\uc2dc \uc218\uc9c0\uad6c this week", "\uc6a9\uc778\uc2dc \uc218\uc9c0\uad6c" },
	/* a Han name ending as an administrative unit's, after a preposition or a label */
	{ "our branch in \u516b\u5343\u4ee3\u5e02 has the VPN client down", "\u516b\u5343\u4ee3\u5e02" },
	{ "City: \u79c0\u82f1\u5e02. Laura", "\u79c0\u82f1\u5e02" },
	/* after a town label the value whole, though the gazetteer knows its
	 * first word alone ("San" is a town in Mali) */
	{ "City: San Teodorico. our branch", "San Teodorico" },
	{ "Ciudad: San Evaristo", "San Evaristo" },
	{ "City: St. Kilda, Victoria", "St. Kilda" },
	/* a short form of a place's first word, the gazetteer's name written whole */
	{ "I work in St. Louis now", "St. Louis" },
	/* a Japanese address with its block, lot and house joined by '-' */
	{ "\u4f4f\u6240\u306f\u6771\u4eac\u90fd\u65b0\u5bbf\u533a\u897f\u65b0\u5bbf2-8-1\u3067\u3059\u3002",
	  "\u6771\u4eac\u90fd\u65b0\u5bbf\u533a\u897f\u65b0\u5bbf2-8-1" },
	{ "\u5927\u962a\u5e02\u5317\u533a\u6885\u75303-1-3", "\u5927\u962a\u5e02\u5317\u533a\u6885\u75303-1-3" },
	/* a town's state, province or region after its comma */
	{ "He lives in Springfield, Illinois.", "Springfield, Illinois" },
	{ "flying from San Francisco, California tomorrow", "San Francisco, California" },
	{ "I am in Austin, TX this week", "Austin, TX" },
	{ "in Leeds, Reading is fun", "Leeds" }, /* a word of the language after the comma */
	{ "office in Ft. Worth", "Ft. Worth" },
	{ "the user works from Mt. Vernon", "Mt. Vernon" },
	{ "visiting St. Gallen next week", "St. Gallen" }, /* Sankt Gallen */
	/* a word a place's name starts with, then a name, after a preposition */
	{ "I am in North Adelheid this week", "North Adelheid" },
	{ "our branch in New Barnaby has Teams down", "New Barnaby" },
	/* the lines before a postcode: a street with its number, units and
	 * boxes, a town after them; a military address */
	{ "send it to 4410 Maple Center, Greenfield, WI 53220 please", "4410 Maple Center, Greenfield, WI 53220" },
	{ "PSC 1234, Box 5678, APO AE 09012", "PSC 1234, Box 5678, APO AE 09012" },
	{ "Unit 2050 Box 4190, FPO AP 96522", "Unit 2050 Box 4190, FPO AP 96522" },
	{ "Flat 12b, Hollis Road, Marbury, M1 4BT", "Flat 12b, Hollis Road, Marbury, M1 4BT" },
	{ "Studio 7, Kent Cliff, Dorlich, EC1A 1BB", "Studio 7, Kent Cliff, Dorlich, EC1A 1BB" },
	{ "to 12 Orchard Forges, Tillbury, B5H 4ZR", "12 Orchard Forges, Tillbury, B5H 4ZR" },
	/* a Brazilian CEP with its town and state, a house number as a line of
	 * its own; a Mexican state and postcode; Spanish units */
	{ "send to Rua das Flores, 120, Centro, 01310-100 Sao Paulo / SP please", "Rua das Flores, 120, Centro, 01310-100 Sao Paulo / SP" },
	{ "to Travessa Ouro, 88, Jardim Azul, 70040010 Brasilia - DF", "Travessa Ouro, 88, Jardim Azul, 70040010 Brasilia - DF" },
	{ "to Calle Sur 12, Coyoacan, CDMX 04000 please", "Calle Sur 12, Coyoacan, CDMX 04000" },
	{ "to Cerrada Olmo 643 Interior 804, Tlalpan, CDMX 14000", "Cerrada Olmo 643 Interior 804, Tlalpan, CDMX 14000" },
	/* a Korean address with no word before it, its building's number and
	 * the part in brackets; a Russian town's street and house lines */
	{ "the parcel for \uc11c\uc6b8\uc2dc \uac15\ub0a8\uad6c \ud14c\ud5e4\ub780\ub85c 123 came back",
	  "\uc11c\uc6b8\uc2dc \uac15\ub0a8\uad6c \ud14c\ud5e4\ub780\ub85c 123" },
	{ "ship it to \uacbd\uae30\ub3c4 \ud654\uc131\uc2dc \ub17c\ud604\uac70\ub9ac (\uc740\uc815\ub3d9). ok",
	  "\uacbd\uae30\ub3c4 \ud654\uc131\uc2dc \ub17c\ud604\uac70\ub9ac (\uc740\uc815\ub3d9)" },
	{ "the parcel for \u0433. \u0422\u0432\u0435\u0440\u044c, \u0443\u043b. \u041b\u0435\u043d\u0438\u043d\u0430, \u0434. 5, \u043a\u0432. 12, 170100. ok",
	  "\u0433. \u0422\u0432\u0435\u0440\u044c, \u0443\u043b. \u041b\u0435\u043d\u0438\u043d\u0430, \u0434. 5, \u043a\u0432. 12, 170100" },
	{ "I live in \u041c\u043e\u0441\u043a\u0432\u0430, \u0443\u043b. \u0422\u0432\u0435\u0440\u0441\u043a\u0430\u044f, \u0434. 1 now",
	  "\u041c\u043e\u0441\u043a\u0432\u0430, \u0443\u043b. \u0422\u0432\u0435\u0440\u0441\u043a\u0430\u044f, \u0434. 1" },
	/* post office boxes written before the postcode */
	{ "send it to P.O. Box 1234, Springfield, IL 62701", "P.O. Box 1234, Springfield, IL 62701" },
	{ "mail to PO Box 55, Austin, TX 78701", "PO Box 55, Austin, TX 78701" },
	{ "the parcel for Postfach 12 34, 10115 Berlin came back", "Postfach 12 34, 10115 Berlin" },
	/* ... and not a line that is none */
	{ "Windows 10, 10115 Berlin", "10115 Berlin" },
	{ "Server 2019, Redmond, WA 98052", "Redmond, WA 98052" },
	{ "I have 2 laptops, Redmond, WA 98052", "Redmond, WA 98052" },
	{ "Windows 10, Redmond, WA 98052", "Redmond, WA 98052" },
	{ "Hello Maria, SW1A 1AA", "SW1A 1AA" },
	/* the USPS street suffixes */
	{ "ship it to 408 Otter Creek, Marshfield", "408 Otter Creek, Marshfield" },
	{ "deliver to 19 Cedar Ridge, Boulder, CO 80301", "19 Cedar Ridge, Boulder, CO 80301" },
	/* a state's code and a ZIP with no town: the state's digits, or a cue */
	{ "shipping to WA 98052 please", "WA 98052" },
	{ "the IN 46204 office", "IN 46204" },
	{ "from PR 00901 today", "PR 00901" },
	{ "from MA 02134 today", "MA 02134" },
	{ "from VT 05401 today", "VT 05401" },
	{ "ship to CA 14043", "CA 14043" },       /* not California's, after a cue */
	{ "Boise, ID 12345", "Boise, ID 12345" }, /* not Idaho's, after a town */
	{ "sent to \u015eamaport, AK 19533 today", "\u015eamaport, AK 19533" }, /* a town with a Latin capital */
	{ "at Suite 500, Houston, TX, 77056.", "Suite 500, Houston, TX, 77056" }, /* a comma after the state */
	/* two blanks before the ZIP, the USPS's old style */
	{ "sent to Boston, MA  02110 today", "Boston, MA  02110" },
	{ "at 51 Elm St, Fifth Floor, Boston, MA  02110-1301  USA", "51 Elm St, Fifth Floor, Boston, MA  02110-1301" },
	{ "the office is at 7 Pelican Island", "7 Pelican Island" },
	/* a name joined by '-' to a word starting with a letter of two bytes */
	{ "I am in Saint-\u00c9tienne today", "Saint-\u00c9tienne" },
};

static const struct detect_case left[] = {
	{ "\u5e02\u573a\u90e82-3", NULL }, /* a market's department: the city's mark starts the run */
	{ "\u65e5\u671f2024-06-25", NULL },
	{ "I have 2 Hard Drive bays and a 1 TB Drive", NULL },
	{ "ship it to 3 people by Friday", NULL },
	{ "I am in Reading the docs", NULL }, /* a city that is a word: only after a label */
	{ "in Windows the setting is gone", NULL },
	{ "the meeting moved to 3 pm", NULL },
	{ "my address is bob at contoso, 2 of them", NULL },
	{ "the build moved to 10.0.19045 and 42% of users", NULL },
	{ "ship it to Contoso Tower 10.0.19041.1", NULL }, /* a version's groups start no address */
	{ "Build 22621 Update and version 23H2", NULL },
	{ "Monday March 3 at 10:00", NULL },
	{ "String 5 is too long, ring 3 times", NULL },
	{ "sent 2 via Outlook and 3 via Teams", NULL },
	{ "Firewall 2 blocks port 9200", NULL },
	{ "case 12345 Errors were logged", NULL },
	{ "KB5034441 and SW1 build", NULL },
	{ "we have 3 Way handshakes", NULL },
	{ "run route add 10 Gateway", NULL },
	/* a capitalised word, a number, a comma and a number of five digits:
	 * products, versions and ports, not streets */
	{ "Windows 10, version 22621 Update", NULL },
	{ "Server 2019, port 3389 Contoso", NULL },
	{ "Teams 2, build 19045 fails", NULL },
	{ "see Chapter 3, pages 1200 Intro", NULL },
	{ "Office 365, error 80070 Outlook", NULL },
	{ "Windows Update, 5, build 19045 Edge", NULL }, /* a comma before the number: only after a street type */
	{ "BitLocker 2, step 12345 Recovery", NULL },
	{ "Address: Teams is down", NULL },
	{ "my address is the same as before", NULL },
	{ "\u7b2c3\u7ae0\u306e5\u756a\u76ee", NULL },            /* "the 5th of chapter 3" */
	{ "Windows 11\u306e\u30d0\u30fc\u30b8\u30e7\u30f322\u756a", NULL }, /* "version no. 22" */
	{ "I am in Support this week", NULL },     /* a word of the language */
	{ "it works in New Outlook now", NULL },
	{ "moved to New Teams and New Relic", NULL },
	{ "Switch to New BSD license.", NULL },
	{ "minor adjustments to Ada95 binding", NULL }, /* digits glued: a thing's name */
	{ "Remove U from constants in Adler16 code", NULL },
	{ "I keep getting Event ID 10016 in the log", NULL }, /* Idaho's are 832-838 */
	{ "Merged PR 41234 yesterday", NULL },
	{ "user ID 50321 cannot log in", NULL },
	{ "set the version IN, 46204 rows", NULL }, /* a comma after the state: only after a town */
	{ "Windows, VER 10234", NULL },           /* a word of the language is no town before a state */
	{ "\uc800\ub3c4 \uadf8\ub807\uac8c \uc0dd\uac01\ud574\uc694", NULL }, /* "me too, I think so": 도 ends a word */
	{ "order 12345678 Total / SP", NULL },    /* eight digits, a word, no state's line */
	{ "the file is in OneDrive", NULL },
	{ "logged in from Passport today", NULL },
	{ "signed in to SharePoint from Ironport", NULL }, /* no preposition a place follows */
	/* labels that do not name a town take only what the gazetteer knows */
	{ "Location: Eastus2 Region: West Europe State: Running", NULL },
	{ "City: the one near the office", NULL },
	{ "I am in St. Nowhere today", NULL }, /* a short form, then no place */
	/* suffixes left out */
	{ "431 Request Header Fields Too Large", NULL },
	{ "Server 2019 Data Center", NULL },
	{ "trained 2 Random Forest models", NULL },
	{ "I have 2 Windows Vista machines", NULL },
	{ "see Pt. 2 of the guide", NULL },
	{ "see \u0441. 5 of the manual", NULL },  /* "с." before a number: a page */
	{ "in \u0433 \u0422\u043e\u043c\u0441\u043a", NULL },     /* a one-letter word needs its dot */
	{ "the \u5730\u533a network", NULL },        /* "area": two characters, a word */
};

static void test_location_found(void **state)
{
	(void)state;
	RUN_CASES(CORDON_LOCATION, found);
}

static void test_location_left(void **state)
{
	(void)state;
	RUN_CASES(CORDON_LOCATION, left);
}

/* Each text holds one person and no LOCATION. */
static void person_no_place(const char *const *texts, size_t count)
{
	cordon_engine *e;
	assert_int_equal(cordon_engine_new(&e, NULL), CORDON_OK);
	for (size_t k = 0; k < count; k++) {
		const struct cordon_finding *f;
		size_t n, person = 0;
		assert_int_equal(cordon_engine_scan(e, texts[k], strlen(texts[k]), &f, &n), CORDON_OK);
		for (size_t i = 0; i < n; i++) {
			assert_int_not_equal(f[i].entity, CORDON_LOCATION);
			person += f[i].entity == CORDON_PERSON;
		}
		assert_int_equal(person, 1);
	}
	cordon_engine_free(e);
}

/* A title before a person is no town of the same name ("Sig" is one in
 * Algeria, "Bayan" in Kazakhstan): the person is found, no LOCATION. */
static void test_title_not_town(void **state)
{
	(void)state;
	static const char *const texts[] = { "assigned to Sig. Ulrico Bellini",
					     "forwarded to Bayan Berrin Y\u0131lmaz for approval" };
	person_no_place(texts, sizeof(texts) / sizeof(*texts));
}

/* A street suffix that is the family name after given names ("Green",
 * "Wall") makes no street of a year and a person: the person is found, no
 * LOCATION. */
static void test_family_name_not_street(void **state)
{
	(void)state;
	static const char *const texts[] = { "Copyright (C) 2019 Anthony Green", "2012-2013 Peter Michael Green" };
	person_no_place(texts, sizeof(texts) / sizeof(*texts));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_location_found),
		cmocka_unit_test(test_location_left),
		cmocka_unit_test(test_title_not_town),
		cmocka_unit_test(test_family_name_not_street),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
