SELECT * FROM `weft`.`audience_s_split` WHERE `split` = 'treatment'
