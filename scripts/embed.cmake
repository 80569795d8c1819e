# Turns the data files (name lists, the data-store port table) into C arrays,
# one NUL-terminated string per file named cordon_data_<file name>, so the
# library needs no data files at run time. The port tables go to OUT (the
# library's); the name lists, the dictionary and the census to NAMES_OUT,
# which only scripts/words.c reads, at build time, to write the word table.
# Usage: cmake -DDIR=data -DDICTIONARY=/usr/share/dict/american-english
#        -DCENSUS=/usr/share/perl5/Text/Names.pm -DOUT=data.c -DNAMES_OUT=names.c
#        -P embed.cmake
# The dictionary's lowercase words (its common words: proper nouns are
# capitalised there) become cordon_data_dictionary, one blank between words.
# The census's name lists (Text::Names carries the 1990 US Census lists of
# male and female given names and family names, one name per line in
# capitals with its frequency) become cordon_data_census_given and
# cordon_data_census_family.
file(WRITE ${OUT} "/* Generated from data/ by scripts/embed.cmake: do not edit. */\n")
file(WRITE ${NAMES_OUT} "/* Generated from data/names, wamerican and Text::Names by scripts/embed.cmake:\n"
                        " * do not edit. Read by scripts/words.c at build time only. */\n")
foreach(file names/first_names.txt names/surnames.txt names/ambiguous.txt names/stopwords.txt
        names/cities.txt datastores.txt management.txt)
  get_filename_component(name ${file} NAME_WE)
  file(READ ${DIR}/${file} hex HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," hex "${hex}")
  if(file MATCHES "^names/")
    file(APPEND ${NAMES_OUT} "const char cordon_data_${name}[] = {${hex}0};\n")
  else()
    file(APPEND ${OUT} "const char cordon_data_${name}[] = {${hex}0};\n")
  endif()
endforeach()
file(STRINGS ${DICTIONARY} words REGEX "^[a-z]+$")
list(JOIN words " " all)
file(APPEND ${NAMES_OUT} "const char cordon_data_dictionary[] =\n\"${all}\";\n")
file(READ ${CENSUS} census)
foreach(block MALE_FIRSTNAMES FEMALE_FIRSTNAMES SURNAMES)
  string(REGEX MATCH "\\$COMMON_${block} = <<ENDNAMES;\n([^$]*)\nENDNAMES" found "${census}")
  if(NOT found)
    message(FATAL_ERROR "${CENSUS}: no ${block} list in it (a Text::Names this build does not know)")
  endif()
  string(REGEX MATCHALL "[A-Z][A-Z']+" names "${CMAKE_MATCH_1}")
  list(JOIN names " " joined)
  set(census_${block} "${joined}")
endforeach()
file(APPEND ${NAMES_OUT} "const char cordon_data_census_given[] =\n\"${census_MALE_FIRSTNAMES} ${census_FEMALE_FIRSTNAMES}\";\n")
file(APPEND ${NAMES_OUT} "const char cordon_data_census_family[] =\n\"${census_SURNAMES}\";\n")
