/* PERSON: names found by cue, by speaker label, by the name lists and by the
 * shape of the words; and what must be left alone: product names, weekdays,
 * months, capitalised sentence starts, given names that are also words. */
#include "detect_cases.h"

static const struct detect_case found[] = {
	/* self-introductions, several languages */
	{ "Hi, my name is Priya Natarajan and my laptop is slow", "Priya Natarajan" },
	{ "this is Oluwaseun Adeyemi calling about my order", "Oluwaseun Adeyemi" },
	{ "I'm Xochitl, the office manager", "Xochitl" },
	{ "Hallo, ich bin Jürgen Müller aus Köln", "Jürgen Müller" },
	{ "Bonjour, je m'appelle Amélie Dubois", "Amélie Dubois" },
	{ "Hola, me llamo Santiago Quispe", "Santiago Quispe" },
	{ "mi chiamo Giulia Esposito", "Giulia Esposito" },
	{ "my name is Nguyen Van Anh", "Nguyen Van Anh" },
	/* honorifics and roles */
	{ "Please ask for Mr. O'Brien at the front desk", "O'Brien" },
	{ "Hi McDonald, the laptop is ready", "McDonald" },
	/* a signature, a verb only a person does, who owns what, more titles */
	{ "works now. -- Jelte Ehlert", "Jelte Ehlert" },
	{ "Soriana Sala says Exchange Online crashes", "Soriana Sala" },
	{ "ticket for Ingela Lundin: SQL fails", "Ingela Lundin" }, /* no list knows either word */
	/* in lower case, after a cue in lower case too (a prefilter trigger on
	 * the cue's last word and the word before it) */
	{ "this is tara taylor from accounting", "tara taylor" },
	{ "the account belongs to marguerite leduc", "marguerite leduc" },
	{ "-- sofia alves", "sofia alves" },
	{ "my name is maria lopez", "maria lopez" },
	{ "I spoke with denis yesterday", "denis" },
	{ "please call back aim\u00e9 merle about Zoom", "aim\u00e9 merle" },
	{ "customer gabrielle traore reports", "gabrielle traore" },
	/* in lower case, after a capitalised cue */
	{ "Regards, kerstin sandberg", "kerstin sandberg" },
	{ "Name: maria lopez", "maria lopez" },
	{ "Hi fatima, the laptop is ready", "fatima" },
	{ "Contact: anna schmidt", "anna schmidt" },
	{ "laptop of Anne Adolfsson will not boot", "Anne Adolfsson" }, /* a census given name */
	{ "the account belongs to Estela Botello", "Estela Botello" },
	{ "I spoke with pan Cezary Lubera yesterday", "Cezary Lubera" },
	{ "this is Ing. Wilma Tauber from accounting", "Wilma Tauber" },
	/* other scripts: Greek and Cyrillic by their capitals, a patronymic;
	 * scripts without capitals only after a cue */
	{ "I spoke with \u0420\u043e\u0441\u0442\u0438\u0441\u043b\u0430\u0432 \u0413\u0443\u0437\u044c yesterday",
	  "\u0420\u043e\u0441\u0442\u0438\u0441\u043b\u0430\u0432 \u0413\u0443\u0437\u044c" },
	{ "\u0428\u0430\u0440\u0430\u043f\u043e\u0432 \u0421\u0430\u043c\u0443\u0438\u043b "
	  "\u0412\u0430\u0441\u0438\u043b\u044c\u0435\u0432\u0438\u0447 wrote",
	  "\u0428\u0430\u0440\u0430\u043f\u043e\u0432 \u0421\u0430\u043c\u0443\u0438\u043b "
	  "\u0412\u0430\u0441\u0438\u043b\u044c\u0435\u0432\u0438\u0447" },
	{ "Thanks \u03a3\u03c4\u03ad\u03bb\u03bb\u03b1 \u039c\u03b1\u03c5\u03c1\u03b1\u03b5\u03b9\u03b4\u03ae, it works",
	  "\u03a3\u03c4\u03ad\u03bb\u03bb\u03b1 \u039c\u03b1\u03c5\u03c1\u03b1\u03b5\u03b9\u03b4\u03ae" },
	{ "Name: \u5c71\u7530 \u5e79. ok", "\u5c71\u7530 \u5e79" },
	{ "customer \u5e73\u6dd1\u5170 reports a crash", "\u5e73\u6dd1\u5170" },
	{ "Regards, \uc774\uc218\uc9c4.", "\uc774\uc218\uc9c4" },
	{ "I spoke with \u092e\u0902\u0917\u0924 yesterday", "\u092e\u0902\u0917\u0924" },
	{ "Thanks, DeShawn", "DeShawn" },
	{ "Dr Wanjiru Kamau signed the form", "Wanjiru Kamau" },
	{ "Sehr geehrte Frau Schneider, vielen Dank", "Schneider" },
	{ "the account holder is Hiroshi Tanaka", "Hiroshi Tanaka" },
	{ "I spoke with Chinedu Okafor yesterday", "Chinedu Okafor" },
	{ "escalated to Svetlana Ivanova in tier 2", "Svetlana Ivanova" },
	{ "the case was forwarded to kornelia barteczko for approval", "kornelia barteczko" },
	{ "forwarded to \u8bf8\u6842\u9999 for approval", "\u8bf8\u6842\u9999" },
	{ "reassigned to Kenji Tanaka today", "Kenji Tanaka" },
	{ "my colleague Mehmet will join", "Mehmet" },
	/* greetings, sign-offs and labels */
	{ "Hi Aoife, thanks for waiting", "Aoife" },
	{ "Dear Mrs Okonkwo,", "Okonkwo" },
	{ "Thanks, Bongani", "Bongani" },
	{ "Kind regards,\nSven Johansson", "Sven Johansson" },
	{ "Maria Lopez: my laptop will not boot", "Maria Lopez" },
	{ "[10:42] Ahmed Hassan: the printer is offline", "Ahmed Hassan" },
	{ "Anjali here, calling back", "Anjali" },
	/* the lists alone */
	{ "yesterday Kwame Mensah reported the same fault", "Kwame Mensah" },
	{ "forwarded to José García-López for review", "José García-López" },
	{ "the laptop belongs to Jan van der Berg", "Jan van der Berg" },
	{ "please ask Jan about it", "Jan" },      /* no date beside it */
	/* names in capitals: after a cue or a field's label, or a family name
	 * after a listed given name */
	{ "Customer: JOHN SMITH", "JOHN SMITH" },
	{ "CUSTOMER: JOHN SMITH", "JOHN SMITH" },
	{ "Spoke with JANE DOE re: refund", "JANE DOE" },
	{ "Hi JOHN, the laptop is ready", "JOHN" },
	{ "Name: VIATEUR MUGENZI", "VIATEUR MUGENZI" },
	{ "my name is JOS\u00c9 GARC\u00cdA-L\u00d3PEZ", "JOS\u00c9 GARC\u00cdA-L\u00d3PEZ" },
	{ "reviewed by Akira NAKAGAWA today", "Akira NAKAGAWA" },
	{ "ask Travis CI support", "Travis" }, /* an acronym is no family name */
	{ "ACCOUNT HOLDER: MARIA GONZALEZ", "MARIA GONZALEZ" }, /* a label's last word in capitals */
	{ "account holder: MARIA GONZALEZ", "MARIA GONZALEZ" },
	{ "CARD HOLDER: JOHN SMITH", "JOHN SMITH" },
	{ "Caller JOHN called about the outage", "JOHN" },
	/* the people a case names by their part in it; the role word is the
	 * cue, not the name's first word */
	{ "Caller John Peters called twice", "John Peters" },
	{ "Manager John Smith approved it", "John Smith" },
	{ "Cardholder: Ingela Lundin", "Ingela Lundin" },
	{ "the requester Xiomara Quispe asked again", "Xiomara Quispe" },
	/* a ticket's fields that name a person, with their colon; a family
	 * name first in lower case; a short given name closing the name */
	{ "Assigned to: nguyen van an", "nguyen van an" },
	{ "escalated to tran thi mai", "tran thi mai" },
	{ "Assigned to: Nguyen Van An", "Nguyen Van An" },
	{ "My name is Nguyen Van An.", "Nguyen Van An" },
	{ "Reported by: Ingela Lundin", "Ingela Lundin" },
	/* the directory's order, family name first; a comma between two
	 * people keeps them two */
	{ "Assigned to: Garcia, Maria", "Garcia, Maria" },
	{ "To: Kowalski, Piotr; Lefebvre, Anne", "Lefebvre, Anne" },
	{ "fixes by Thomas Haller, Sebastian Rasmussen", "Sebastian Rasmussen" },
	{ "crc routines (Christian, Rodney Brown)", "Rodney Brown" },
	{ "Thanks, John", "John" },
	/* a family name that is a given name too, before a given name alone;
	 * a given name that is a word too, closing a directory's entry */
	{ "From: Brown, Sarah <sarah.brown@contoso.com>", "Brown, Sarah" },
	{ "To: Young, Kevin; Lefebvre, Anne", "Young, Kevin" },
	{ "To: Kowalski, Piotr; King, Martha", "King, Martha" },
	{ "From: Green, Tom <tom.green@contoso.com>", "Green, Tom" },
	{ "Cc: Nakamura, Rose", "Nakamura, Rose" },
	/* a family name that is a word of the language, where an address or
	 * the next recipient closes the entry */
	{ "From: Doe, Jane <jane.doe@contoso.com>", "Doe, Jane" },
	{ "To: Snow, Anna; Lefebvre, Anne", "Snow, Anna" },
	{ "Subject: Printer, Maria says hi", "Maria" }, /* no address closes it */
	{ "Spoke with John Smith An hour ago", "John Smith" }, /* "An" does not close the clause */
	{ "I met Maria And", "Maria" }, /* "And" is no given name */
	/* a listed given name that is also a word, in lower case, alone after
	 * a greeting or a sign-off */
	{ "hi john, thanks for the quick reply", "john" },
	{ "hey maria", "maria" },
	{ "Thanks maria", "maria" },
	{ "Hi mark.", "mark" },
	/* a Japanese name before its honorific, inside a run of the script */
	{ "\u5c71\u7530\u3055\u3093\u3001\u3042\u308a\u304c\u3068\u3046", "\u5c71\u7530" },
	{ "\u3053\u3093\u306b\u3061\u306f\u3001\u9234\u6728\u3055\u3093\u3002", "\u9234\u6728" },
	{ "\u5c71\u7530\u592a\u90ce\u69d8\u3078", "\u5c71\u7530\u592a\u90ce" },
	/* a handle of a given and a family name */
	{ "@john.smith please review", "john.smith" },
	{ "thanks @maria_garcia!", "maria_garcia" },
	/* only a person is one of us, or e-mails and thinks */
	{ "Priya and I tested it", "Priya" },
	{ "Sven and me went to the office", "Sven" },
	{ "Priya emailed the logs", "Priya" },
	/* a signature: a listed given name alone on its line */
	{ "Rebecca", "Rebecca" },
	{ "Thanks for the help,\n  Rebecca  \n", "Rebecca" },
	/* family name first in a field's value */
	{ "Owner: Tanaka Yuki", "Tanaka Yuki" },
	{ "Owner: Sato Haruto", "Sato Haruto" },
	{ "Customer Name Will Smith", "Will Smith" }, /* a listed name after a bare "Name" */
	{ "Customer Name Xiomara Quispe", "Xiomara Quispe" },
	{ "on Mon, 22 Jan 2018 Jan wrote", "Jan" }, /* the month, then the person */
	{ "on Friday Jan called", "Jan" },
	{ "a reply from Will Smith came later", "Will Smith" },
	{ "the ticket was opened by Fatima", "Fatima" },
	/* titles before the name and degrees after it are not the name */
	{ "my name is Ir. Chandra Padmasari", "Chandra Padmasari" },
	{ "customer Raditya Pratiwi, S.Ked reports Teams fails", "Raditya Pratiwi" },
	{ "forwarded to Bayan Berrin Y\u0131lmaz T\u00fcrk for approval", "Berrin Y\u0131lmaz T\u00fcrk" },
	{ "John F. Kennedy called", "John F. Kennedy" },
	/* in lower case, a family name that is also a word, ending the clause */
	{ "Regards, kathleen smart", "kathleen smart" },
	{ "my name is carl patel. thanks", "carl patel" },
	/* a listed name that is also a word, beside unknown name-shaped words */
	{ "forwarded to Martyn Carter for approval", "Martyn Carter" },
	{ "ticket for Mercedes Francisca Gutierrez Baquero: Edge fails", "Mercedes Francisca Gutierrez Baquero" },
	{ "The files belong to Hana Abenov, not to the team.", "Hana Abenov" },
	/* capitals beyond ASCII */
	{ "my name is Ólafur Arnalds", "Ólafur Arnalds" },
	{ "Łukasz Kowalski reported the fault", "Łukasz Kowalski" },
	{ "Hi Şükrü, the router is back", "Şükrü" },
	{ "Dear Mr Ángel Núñez,", "Ángel Núñez" },
	/* a common word named as a name: the naming cue decides */
	{ "my name is Sunny Okafor", "Sunny Okafor" },
	{ "Dear Mr. Baker,", "Baker" },
	{ "Hi Grace, thanks", "Grace" },
	/* titles as words of their own, in lower case or in a script without
	 * capitals: taken with the name, and not counted among its words */
	{ "Name: pan tadeusz wrzosek", "pan tadeusz wrzosek" },
	{ "assigned to dr. howard pemberton", "dr. howard pemberton" },
	{ "-- \u062c\u0646\u0627\u0628 \u0622\u0642\u0627\u06cc \u062f\u06a9\u062a\u0631 \u0628\u0647\u0631\u0627\u0645 \u06a9\u0627\u0638\u0645\u06cc",
	  "\u062c\u0646\u0627\u0628 \u0622\u0642\u0627\u06cc \u062f\u06a9\u062a\u0631 \u0628\u0647\u0631\u0627\u0645 \u06a9\u0627\u0638\u0645\u06cc" },
	{ "Regards, \u0633\u0631\u06a9\u0627\u0631 \u062e\u0627\u0646\u0645 \u0646\u0633\u0631\u06cc\u0646 \u0631\u0636\u0627\u06cc\u06cc",
	  "\u0633\u0631\u06a9\u0627\u0631 \u062e\u0627\u0646\u0645 \u0646\u0633\u0631\u06cc\u0646 \u0631\u0636\u0627\u06cc\u06cc" },
	{ "\u0627\u0644\u0633\u064a\u062f \u0645\u062d\u0645\u062f \u0639\u0644\u064a", "\u0627\u0644\u0633\u064a\u062f \u0645\u062d\u0645\u062f \u0639\u0644\u064a" },
	{ "Name: \u0936\u094d\u0930\u0940 \u0930\u093e\u092e \u0936\u0930\u094d\u092e\u093e", "\u0936\u094d\u0930\u0940 \u0930\u093e\u092e \u0936\u0930\u094d\u092e\u093e" },
	/* "name" names, it is no title taken with the name */
	{ "Thanks name maria lopez", "maria lopez" },
	/* the Portuguese particle "do" */
	{ "Name: Maria do Carmo Silva", "Maria do Carmo Silva" },
	/* the Dutch particles 't and 's */
	{ "Name: Jan van 't Hof", "Jan van 't Hof" },
	{ "Name: Pieter 's Gravesande", "Pieter 's Gravesande" },
	/* a name-shaped word no list knows before a name, first in its
	 * sentence: the given name, not left in clear */
	{ "Dravek Oltanu Merisch from the office called", "Dravek Oltanu Merisch" },
	/* long words of scripts of two and three bytes, and the Japanese
	 * iteration mark, inside names */
	{ "forwarded to \u0930\u0935\u093f \u0935\u0947\u0902\u0915\u091f\u0938\u0941\u092c\u094d\u0930\u092e\u0923\u094d\u092f\u092e for approval",
	  "\u0930\u0935\u093f \u0935\u0947\u0902\u0915\u091f\u0938\u0941\u092c\u094d\u0930\u092e\u0923\u094d\u092f\u092e" },
	{ "Name: \u4f50\u3005\u6728 \u5065", "\u4f50\u3005\u6728 \u5065" },
	{ "assigned to \u03a0\u03b1\u03bd\u03b1\u03b3\u03b9\u03ce\u03c4\u03b7\u03c2-\u03a7\u03b1\u03c1\u03ac\u03bb\u03b1\u03bc\u03c0\u03bf\u03c2 \u03a0\u03b1\u03c0\u03b1\u03b4\u03cc\u03c0\u03bf\u03c5\u03bb\u03bf\u03c2",
	  "\u03a0\u03b1\u03bd\u03b1\u03b3\u03b9\u03ce\u03c4\u03b7\u03c2-\u03a7\u03b1\u03c1\u03ac\u03bb\u03b1\u03bc\u03c0\u03bf\u03c2 \u03a0\u03b1\u03c0\u03b1\u03b4\u03cc\u03c0\u03bf\u03c5\u03bb\u03bf\u03c2" },
	/* lower case: a given name that is a word after another, five words,
	 * and a word of the language last in the clause */
	{ "Thanks anna maria kowalczyk, see you", "anna maria kowalczyk" },
	{ "forwarded to juan carlos andres pereda villalba for approval", "juan carlos andres pereda villalba" },
	{ "Regards, juan carlos mendez cabanas.", "juan carlos mendez cabanas" },
	/* after a cue, a common word ("mike") and a word no list knows */
	{ "customer Mike Dorrance reports a crash", "Mike Dorrance" },
};

static const struct detect_case left[] = {
	{ "Windows Update failed on Monday", NULL },
	/* a month that is a given name too, in a date */
	{ "sent on Mon, 22 Jan 2018 by the agent", NULL },
	{ "Date:   Thu Jan 23 2020 build", NULL },
	{ "the last one was Jan 2018 or so", NULL },
	{ "the lease ends on 5-April-2027", NULL },
	{ "on Wed Jan  2 23:30:33 2008 it broke", NULL }, /* ctime's two blanks */
	/* "Name" inside a compound, then a word of the language */
	{ "check the Host Name Resolution", NULL },
	/* capitals that are no name */
	{ "Customer: ACME CORP", NULL },
	{ "Name: TEST USER", NULL },
	{ "Hi TEAM, the issue with DNS is back", NULL },
	{ "Spoke with IT SUPPORT", NULL },
	{ "the Common Name Mismatch error", NULL },
	{ "Subject Alternative Name Extension missing", NULL },
	{ "Caller: Intune fails again", NULL }, /* a speaker's label */
	{ "Reporter: Build Bot", NULL },
	{ "Assigned to: Service Desk", NULL },
	{ "escalated to tier two", NULL },
	{ "Summer", NULL }, /* a given name that is a word too, alone */
	{ "Outlook and I do not agree", NULL },
	{ "@team.lead ping", NULL },
	/* the customer, everyone, many, the person in charge, a company: no name */
	{ "\u304a\u5ba2\u69d8\u3001\u7686\u3055\u3093\u3001\u305f\u304f\u3055\u3093\u3001"
	  "\u3054\u62c5\u5f53\u8005\u69d8\u3001\u682a\u5f0f\u4f1a\u793e\u69d8", NULL },
	{ "hi will, ok", NULL }, /* a stopword */
	{ "hi there, hello team, thanks all!", NULL },
	{ "ping @kevin.brown2 or @a.b.c", NULL },
	{ "POLICY HOLDER: ACME CORP", NULL },
	/* a greeting, then a product or a common word: not a name */
	{ "Hi, Windows Update fails", NULL },
	{ "Hello, BitLocker update stuck at 32%", NULL },
	{ "Windows says the update failed", NULL },
	{ "Thanks, this is fine", NULL },
	{ "it is maria's laptop, go to maria", NULL }, /* "it is", "go to": no cue */
	{ "this is will do", NULL },
	{ "I spoke with support yesterday", NULL },
	{ "Regards, support team", NULL },
	{ "Regards, the helpdesk.", NULL },
	{ "escalated to tier two support", NULL },
	{ "forwarded to Billing for review", NULL },
	{ "forwarded to the team for review", NULL },
	{ "Hi there, it works", NULL },
	{ "Regards, support team", NULL },
	{ "Windows keeps crashing", NULL },
	{ "Name: config file", NULL },
	{ "Ingela Lundin", NULL }, /* unknown words at the start of a record: nothing says a name */
	{ "the Exchange Online mailbox", NULL },
	{ "\u041f\u0440\u0438\u0432\u0435\u0442 \u043c\u0438\u0440", NULL }, /* Cyrillic prose, no cue */
	{ "\u6211\u4eec\u7684\u5ba2\u6237\u8bf4\u7cfb\u7edf\u574f\u4e86", NULL }, /* Chinese prose */
	{ "Intune says the device is compliant", NULL },
	{ "see page 2 -- Settings is where it is", NULL }, /* a capital inside: a product */
	{ "this is OneDrive support", NULL },
	{ "Good morning, Teams keeps crashing", NULL },
	{ "Hi, Azure DevOps pipeline broke", NULL },
	{ "Hello, Zoom keeps crashing", NULL },
	{ "Hi, Chrome shows a blank page", NULL },
	{ "Hi team, Printer offline again", NULL },
	{ "Hello, Battery drains overnight", NULL },
	{ "Thanks, Support", NULL },
	/* a word of the language, a comma and a given name that is a word
	 * too: no directory's entry */
	{ "Printer, Will", NULL },
	{ "Sure, April works for me", NULL },
	{ "Windows, Mark", NULL },
	{ "This is Zoom support calling back", NULL },
	{ "Teams and Outlook crash in March", NULL },
	{ "The Surface Pro will not charge", NULL },
	{ "Will this work? May I ask why.", NULL },
	{ "Thanks Microsoft team, all good now", NULL },
	{ "Hi Team, the Azure portal is down", NULL },
	{ "Jordan shoes are sold out again", NULL },
	{ "we moved to Azure Active Directory last week", NULL }, /* words of the language */
	{ "the app runs on Windows Server Parker edition", NULL },
	{ "Logs: Mercedes Benz fleet data", NULL }, /* a label's value at a line's start */
	{ "Please restart Microsoft Edge and clear the cache.", NULL },
	{ "Open Device Manager and update the Network driver", NULL },
	{ "Error Code 0x80070005 in Visual Studio Code", NULL },
	{ "The Program is distributed in the hope that it will be useful", NULL },
	{ "Grace period ends on Friday; Hope that helps", NULL },
	{ "We shipped it via Amazon Prime last Tuesday", NULL },
	{ "Dear Customer, thank you for contacting Contoso Support", NULL },
	{ "Sign in with your Microsoft Account and Reset the PIN", NULL },
	{ "Über das Update und die École supérieure", NULL },
	{ "contact ms teams support", NULL }, /* a title, then words of the language */
	{ "ask for dr who", NULL },
	/* ... not when a word is a thing's: capitals, a product's camel case */
	{ "Reported by OpenAI Codex Security (amyb).", NULL },
	{ "- Fix OSSFuzz reported issue in C", NULL },
	{ "KIP-546 - Add Client Quota APIs to AdminClient", NULL },
	{ "generators.cc: Added NormalGenerator for normal text", NULL },
	{ "\u062e\u0627\u0646\u0645", NULL }, /* a title alone */
};

static void test_person_found(void **state)
{
	(void)state;
	RUN_CASES(CORDON_PERSON, found);
}

static void test_person_left(void **state)
{
	(void)state;
	RUN_CASES(CORDON_PERSON, left);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_person_found),
		cmocka_unit_test(test_person_left),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
